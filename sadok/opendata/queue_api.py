"""Each group's anonymised queue as open data, and where one application number
stands: positions only, nothing else of the child."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Path, Router, Schema, Status

from sadok import clock
from sadok.allocation import Tier
from sadok.kindergartens.models import Group
from sadok.opendata import selectors
from sadok.opendata.answers import (
    ERRORS,
    MAX_ID,
    ErrorOut,
    Format,
    FormatQuery,
    Limit,
    Offset,
    documented,
    respond,
)

router = Router()


class QueueRowOut(Schema):
    position: int
    application_number: str
    birth_year: int
    registered_on: dt.date
    tier: int
    tier_code: str


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


@router.get(
    "/groups/{group_id}/queue",
    response={200: QueuePage, 404: ErrorOut, **ERRORS},
    openapi_extra=documented(csv_too=True),
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
    return respond(request, page, fmt, QueueRowOut)


@router.get(
    "/queue/{application_number}",
    response={200: NumberPlacesOut, 404: ErrorOut, **ERRORS},
    openapi_extra=documented(csv_too=False),
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
    return respond(request, out)
