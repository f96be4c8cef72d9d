"""The directory as open data: Kyiv's districts, its kindergartens and their groups,
with the places as the kindergarten page tells them."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from sadok.kindergartens.models import District, Group, GroupKind, Kindergarten
from sadok.opendata import selectors
from sadok.opendata.answers import (
    ERRORS,
    DistrictQuery,
    Format,
    FormatQuery,
    KindQuery,
    Limit,
    NumberQuery,
    Offset,
    documented,
    respond,
)

router = Router()


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


@router.get(
    "/districts",
    response={200: DistrictPage, **ERRORS},
    openapi_extra=documented(csv_too=True),
    summary="Kyiv's districts",
)
def districts(request: HttpRequest, fmt: Format = FormatQuery) -> HttpResponse:
    rows = [
        DistrictOut(slug=d.slug, name=d.name, name_en=d.name_en) for d in District.objects.all()
    ]
    return respond(request, DistrictPage(count=len(rows), items=rows), fmt, DistrictOut)


@router.get(
    "/kindergartens",
    response={200: KindergartenPage, **ERRORS},
    openapi_extra=documented(csv_too=True),
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
    return respond(request, page, fmt, KindergartenOut)


@router.get(
    "/groups",
    response={200: GroupPage, **ERRORS},
    openapi_extra=documented(csv_too=True),
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
    return respond(
        request,
        GroupPage(count=found.count(), limit=limit, offset=offset, items=rows),
        fmt,
        GroupOut,
    )
