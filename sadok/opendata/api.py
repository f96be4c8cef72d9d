"""The open data API (SPEC.md "Open statistics"): django-ninja, public, read-only.

Every list is a page (`limit`, `offset`, and the `count` of all rows), in JSON by
default or, with `?format=csv`, the same page's `items` as CSV rows. Answers carry
`Cache-Control: public` for `SADOK_API_CACHE_SECONDS` and an ETag (a repeated
request with `If-None-Match` gets 304); each client address may make
`SADOK_API_RATE` requests (429 with `Retry-After` past it). No personal data: a
queue row is a position, an opaque application number, a birth year, a day of
registration and a tier. docs/open-data.md explains each endpoint.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import math
from collections.abc import Sequence
from typing import Any, Literal

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Path, Query, Schema, Status
from ninja.errors import Throttled
from ninja.openapi.docs import Swagger
from ninja.throttling import AnonRateThrottle
from pydantic import BaseModel

from sadok import clock
from sadok.allocation import Tier
from sadok.journal.log import log_head, log_rows
from sadok.kindergartens.models import District, Group, GroupKind, Kindergarten
from sadok.opendata import selectors
from sadok.statistics.tables import Table, statistics_table, statistics_tables

# The largest integer a query may name (a PostgreSQL `integer`): above it, 422.
MAX_ID = 2**31 - 1
Format = Literal["json", "csv"]


class ClientRateThrottle(AnonRateThrottle):
    """`SADOK_API_RATE` requests per client address (behind `NINJA_NUM_PROXIES`
    proxies, as the login's limits count them), read on each request."""

    def __init__(self) -> None:
        super().__init__(rate=settings.SADOK_API_RATE)

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = settings.SADOK_API_RATE
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)


api = NinjaAPI(
    title="Sadok open data",
    version="1",
    description=(
        "Kyiv's kindergartens, their groups, the anonymised queues and the statistics, as open "
        "data. "
        "JSON by default, CSV with `?format=csv`."
    ),
    urls_namespace="api",
    docs=Swagger(settings={"defaultModelsExpandDepth": 0}),
    docs_url="/docs",
    openapi_url="/openapi.json",
    throttle=[ClientRateThrottle()],
)


class ErrorOut(Schema):
    detail: str


class ValidationErrorOut(Schema):
    """Which parameter is wrong and why: each error's `loc` names it."""

    detail: list[dict[str, Any]]


class ThrottledOut(Schema):
    detail: str
    limit: str
    retry_after: int | None


class DistrictOut(Schema):
    slug: str
    name: str
    name_en: str


class Coordinates(Schema):
    lat: float
    lng: float


class GroupOut(Schema):
    id: int
    kindergarten: int
    name: str
    kind: str
    age_from_months: int
    age_to_months: int
    specialisation: str | None
    needs_referral: bool
    language: str
    capacity: int
    enrolled: int
    room: int
    open_places: int
    offered_places: int
    undeclared: int


class KindergartenGroupOut(Schema):
    id: int
    name: str
    kind: str
    age_from_months: int
    age_to_months: int
    specialisation: str | None
    capacity: int
    enrolled: int
    room: int
    open_places: int
    offered_places: int
    undeclared: int


class KindergartenOut(Schema):
    number: int
    name: str
    district: str
    address: str
    coordinates: Coordinates
    type: str
    language: str
    phone: str
    website: str
    capacity: int
    enrolled: int
    room: int
    open_places: int
    offered_places: int
    undeclared: int
    groups: list[KindergartenGroupOut]


class QueueRowOut(Schema):
    position: int
    application_number: str
    birth_year: int
    registered_on: dt.date
    tier: int
    tier_code: str


class DistrictPage(Schema):
    count: int
    items: list[DistrictOut]


class KindergartenPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[KindergartenOut]


class GroupPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[GroupOut]


class QueuePage(Schema):
    group: int
    kindergarten: int
    date: dt.date
    count: int
    limit: int
    offset: int
    items: list[QueueRowOut]


class NumberPlaceOut(Schema):
    kindergarten: int
    group_id: int
    group: str
    position: int
    size: int


class NumberPlacesOut(Schema):
    application_number: str
    date: dt.date
    positions: list[NumberPlaceOut]


ERRORS: dict[int, Any] = {400: ErrorOut, 422: ValidationErrorOut, 429: ThrottledOut}
_HEADERS = {
    "Cache-Control": {"schema": {"type": "string"}, "description": "public, max-age=<seconds>"},
    "ETag": {"schema": {"type": "string"}},
}
_RETRY = {"Retry-After": {"schema": {"type": "integer"}, "description": "seconds to wait"}}


def _documented(*, csv_too: bool) -> dict[str, Any]:
    """What the schema says beyond the models: the CSV form of a page, the cache
    headers, a 304 to a matching `If-None-Match`, `Retry-After` on a 429."""
    ok: dict[str, Any] = {"headers": _HEADERS}
    if csv_too:
        ok["content"] = {"text/csv": {"schema": {"type": "string"}}}
    return {
        "responses": {
            200: ok,
            304: {"description": "Not modified (the ETag matched)", "headers": _HEADERS},
            429: {"headers": _RETRY},
        }
    }


@api.exception_handler(Throttled)
def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    wait = math.ceil(exc.wait) if exc.wait is not None else None
    body = {
        "detail": _("Забагато запитів: зачекайте й повторіть."),
        "limit": settings.SADOK_API_RATE,
        "retry_after": wait,
    }
    return api.create_response(request, body, status=429)


def _flat(item: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """A JSON item as one CSV row: a nested object's fields as `outer_inner`
    columns, a list as its JSON text."""
    row: dict[str, Any] = {}
    for key, value in item.items():
        if isinstance(value, dict):
            row.update(_flat(value, f"{prefix}{key}_"))
        elif isinstance(value, list):
            row[f"{prefix}{key}"] = json.dumps(value, ensure_ascii=False)
        else:
            row[f"{prefix}{key}"] = value
    return row


def _csv(items: Sequence[dict[str, Any]], columns: Sequence[str]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(_flat(item) for item in items)
    return out.getvalue().encode("utf-8")


def _respond(
    request: HttpRequest,
    page: BaseModel,
    fmt: Format = "json",
    item: type[BaseModel] | None = None,
) -> HttpResponse:
    """The page as JSON, or its items (each an `item`) as CSV."""
    data = page.model_dump(mode="json")
    if fmt == "csv" and item is not None:
        columns = list(_flat(_example(item)).keys())
        return _cacheable(request, _csv(data["items"], columns), "text/csv")
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    return _cacheable(request, body, "application/json")


def _cacheable(request: HttpRequest, body: bytes, content_type: str) -> HttpResponse:
    """`body`, cacheable by anyone for the setting's seconds, with an ETag of the body
    (a matching `If-None-Match`: 304)."""
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    if content_type == "text/csv":
        response["Content-Disposition"] = 'inline; filename="sadok.csv"'
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=settings.SADOK_API_CACHE_SECONDS)
    not_modified = get_conditional_response(request, etag=etag, response=response)
    if not_modified is not response and not_modified is not None:
        not_modified["ETag"] = etag
        patch_cache_control(not_modified, public=True, max_age=settings.SADOK_API_CACHE_SECONDS)
        return not_modified
    return response


def _example(model: type[BaseModel]) -> dict[str, Any]:
    """The columns of a CSV row come from the model, not from the rows, so that an
    empty page still has its header: a nested object's fields, a list as one."""
    shape: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            shape[name] = _example(annotation)
        else:
            shape[name] = None
    return shape


def _places(counted: Group | Kindergarten) -> dict[str, int]:
    """What a parent can act on, as the kindergarten page tells it
    (`kindergartens.selectors.groups_with_places`): `room` by capacity (capacity −
    enrolled), of it `open_places` declared and waiting for an offer,
    `offered_places` declared and offered, and `undeclared`, room the head has not
    declared, which no child can be offered."""
    return {
        name: int(getattr(counted, field))
        for name, field in (
            ("enrolled", "enrolled"),
            ("room", "vacant"),
            ("open_places", "open_places"),
            ("offered_places", "offered_places"),
            ("undeclared", "undeclared"),
        )
    }


def _group_out(group: Group) -> GroupOut:
    return GroupOut(
        id=group.pk,
        kindergarten=group.kindergarten.number,
        name=group.name,
        kind=group.kind,
        age_from_months=group.age_from_months,
        age_to_months=group.age_to_months,
        specialisation=group.specialisation.slug if group.specialisation else None,
        needs_referral=bool(group.specialisation and group.specialisation.referral),
        language=group.language,
        capacity=group.capacity,
        **_places(group),
    )


def _kindergarten_out(kindergarten: Kindergarten) -> KindergartenOut:
    return KindergartenOut(
        number=kindergarten.number,
        name=kindergarten.name,
        district=kindergarten.district.slug,
        address=kindergarten.address,
        coordinates=Coordinates(lat=kindergarten.latitude, lng=kindergarten.longitude),
        type=kindergarten.type,
        language=kindergarten.language,
        phone=kindergarten.phone,
        website=kindergarten.website,
        capacity=kindergarten.total,  # type: ignore[attr-defined]
        **_places(kindergarten),
        groups=[
            KindergartenGroupOut(
                id=g.pk,
                name=g.name,
                kind=g.kind,
                age_from_months=g.age_from_months,
                age_to_months=g.age_to_months,
                specialisation=g.specialisation.slug if g.specialisation else None,
                capacity=g.capacity,
                **_places(g),
            )
            for g in kindergarten.groups.all()
        ],
    )


Limit = Query(settings.SADOK_API_PAGE_SIZE, ge=1, le=settings.SADOK_API_PAGE_MAX)
Offset = Query(0, ge=0, le=MAX_ID)
DistrictQuery = Query(
    "", max_length=50, pattern=r"^[-a-zA-Z0-9_]*$", description="a district's slug (/api/districts)"
)
NumberQuery = Query(None, ge=1, le=MAX_ID, description="a kindergarten's number")
KindQuery = Query(None, description="only groups of this kind")
FormatQuery = Query("json", alias="format", description="json (default) or csv")


@api.get(
    "/districts",
    response={200: DistrictPage, **ERRORS},
    openapi_extra=_documented(csv_too=True),
    summary="Kyiv's districts",
)
def districts(request: HttpRequest, fmt: Format = FormatQuery) -> HttpResponse:
    rows = [
        DistrictOut(slug=d.slug, name=d.name, name_en=d.name_en) for d in District.objects.all()
    ]
    return _respond(request, DistrictPage(count=len(rows), items=rows), fmt, DistrictOut)


@api.get(
    "/kindergartens",
    response={200: KindergartenPage, **ERRORS},
    openapi_extra=_documented(csv_too=True),
    summary="The directory of kindergartens, with their groups and places",
)
def kindergartens(
    request: HttpRequest,
    district: str = DistrictQuery,
    number: int | None = NumberQuery,
    kind: GroupKind | None = KindQuery,
    limit: int = Limit,
    offset: int = Offset,
    fmt: Format = FormatQuery,
) -> HttpResponse:
    found = selectors.directory_kindergartens(district=district, number=number, kind=kind or "")
    rows = [_kindergarten_out(k) for k in found[offset : offset + limit]]
    page = KindergartenPage(count=found.count(), limit=limit, offset=offset, items=rows)
    return _respond(request, page, fmt, KindergartenOut)


@api.get(
    "/groups",
    response={200: GroupPage, **ERRORS},
    openapi_extra=_documented(csv_too=True),
    summary="Every group, with its age band, kind and places",
)
def groups(
    request: HttpRequest,
    district: str = DistrictQuery,
    kindergarten: int | None = NumberQuery,
    kind: GroupKind | None = KindQuery,
    limit: int = Limit,
    offset: int = Offset,
    fmt: Format = FormatQuery,
) -> HttpResponse:
    found = selectors.directory_groups(
        district=district, kindergarten=kindergarten, kind=kind or ""
    )
    rows = [_group_out(g) for g in found[offset : offset + limit]]
    return _respond(
        request,
        GroupPage(count=found.count(), limit=limit, offset=offset, items=rows),
        fmt,
        GroupOut,
    )


@api.get(
    "/groups/{group_id}/queue",
    response={200: QueuePage, 404: ErrorOut, **ERRORS},
    openapi_extra=_documented(csv_too=True),
    summary="A group's anonymised queue today, in the queue rule's order",
)
def group_queue(
    request: HttpRequest,
    group_id: int = Path(..., ge=1, le=MAX_ID),
    limit: int = Limit,
    offset: int = Offset,
    fmt: Format = FormatQuery,
) -> HttpResponse | Status[ErrorOut]:
    group = (
        Group.objects.select_related("kindergarten", "specialisation").filter(pk=group_id).first()
    )
    if group is None:
        return Status(404, ErrorOut(detail=_("Такої групи немає.")))
    today = clock.today()
    rows = selectors.public_queue(group=group, at=today, offset=offset, limit=limit)
    page = QueuePage(
        group=group.pk,
        kindergarten=group.kindergarten.number,
        date=today,
        count=selectors.public_queue_length(group=group, at=today),
        limit=limit,
        offset=offset,
        items=[
            QueueRowOut(
                position=r.position,
                application_number=r.application_number,
                birth_year=r.birth_year,
                registered_on=r.registered_on,
                tier=int(r.tier),
                tier_code=Tier(r.tier).name.lower(),
            )
            for r in rows
        ],
    )
    return _respond(request, page, fmt, QueueRowOut)


@api.get(
    "/queue/{application_number}",
    response={200: NumberPlacesOut, 404: ErrorOut, **ERRORS},
    openapi_extra=_documented(csv_too=False),
    summary="Where an application number stands: its positions today, nothing else",
)
def number_places(
    request: HttpRequest,
    application_number: str = Path(..., min_length=8, max_length=8, pattern="^[0-9A-Za-z]{8}$"),
) -> HttpResponse | Status[ErrorOut]:
    today = clock.today()
    places = selectors.places_of_number(number=application_number, at=today)
    if not places:
        # Unknown, or in no queue today: the same answer, so that it tells nothing.
        return Status(404, ErrorOut(detail=_("Цього номера заяви немає в жодній черзі.")))
    out = NumberPlacesOut(
        application_number=selectors.number_normalised(application_number),
        date=today,
        positions=[NumberPlaceOut(**vars(p)) for p in places],
    )
    return _respond(request, out)


class ColumnOut(Schema):
    key: str
    label: str
    kind: str


class StatisticOut(Schema):
    """One statistic of the statistics page, exactly as its table shows it."""

    slug: str
    title: str
    date: dt.date
    filters: dict[str, str]
    columns: list[ColumnOut]
    rows: list[dict[str, Any]]


class StatisticsOut(Schema):
    date: dt.date
    items: list[StatisticOut]


SlugPath = Path(..., max_length=40, pattern=r"^[a-z-]+$")


def _statistic_out(table: Table, today: dt.date) -> StatisticOut:
    return StatisticOut(
        slug=table.slug,
        title=str(table.title),
        date=today,
        filters=table.filters,
        columns=[ColumnOut(key=c.key, label=str(c.label), kind=str(c.kind)) for c in table.columns],
        rows=table.records(),
    )


@api.get(
    "/statistics",
    response={200: StatisticsOut, **ERRORS},
    openapi_extra=_documented(csv_too=False),
    summary="Every statistic of /stats/, each with its columns and rows",
)
def statistics(request: HttpRequest, district: str = DistrictQuery) -> HttpResponse:
    today = clock.today()
    tables = statistics_tables(today=today, district=district)
    out = StatisticsOut(date=today, items=[_statistic_out(t, today) for t in tables])
    return _respond(request, out)


@api.get(
    "/statistics/{slug}",
    response={200: StatisticOut, 404: ErrorOut, **ERRORS},
    openapi_extra=_documented(csv_too=True),
    summary="One statistic (a slug of /api/statistics); CSV: its rows, keyed by column",
)
def statistic(
    request: HttpRequest,
    slug: str = SlugPath,
    district: str = DistrictQuery,
    fmt: Format = FormatQuery,
) -> HttpResponse | Status[ErrorOut]:
    today = clock.today()
    table = statistics_table(slug, today=today, district=district)
    if table is None:
        return Status(404, ErrorOut(detail=_("Такої статистики немає.")))
    out = _statistic_out(table, today)
    if fmt == "csv":
        return _cacheable(request, _csv(out.rows, [c.key for c in out.columns]), "text/csv")
    return _respond(request, out)


class LogHeadOut(Schema):
    """Where the public log stands: save it, and check later that the log extends it."""

    seq: int
    hash: str


class LogEntryOut(Schema):
    seq: int
    at: str
    kind: str
    actor_role: str
    application_number: str
    kindergarten_id: int | None
    group_id: int | None
    place_id: int | None
    offer_id: int | None
    reason: str
    data: dict[str, Any]
    prev: str
    hash: str


class LogPage(Schema):
    head: LogHeadOut
    after: int
    limit: int
    items: list[LogEntryOut]


@api.get(
    "/log/head",
    response={200: LogHeadOut, **ERRORS},
    openapi_extra=_documented(csv_too=False),
    summary="The public log's head: its last entry's number and hash",
)
def log_head_view(request: HttpRequest) -> HttpResponse:
    head = log_head()
    return _respond(request, LogHeadOut(seq=head.seq, hash=head.hash))


@api.get(
    "/log",
    response={200: LogPage, **ERRORS},
    openapi_extra=_documented(csv_too=False),
    summary="The public log's entries after `after`, in order, each with its hash",
)
def log_view(
    request: HttpRequest,
    after: int = Query(
        0, ge=0, le=2**62, description="the last entry you have (0: from the first)"
    ),
    limit: int = Limit,
) -> HttpResponse:
    head = log_head()
    items = [LogEntryOut(**row) for row in log_rows(after=after, limit=limit)]
    page = LogPage(
        head=LogHeadOut(seq=head.seq, hash=head.hash), after=after, limit=limit, items=items
    )
    return _respond(request, page)
