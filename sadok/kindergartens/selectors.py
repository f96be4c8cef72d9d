"""Reads of the public directory: kindergartens and groups with their places.

Enrolled, vacant and total places are counted here, in the same query, from
group capacities and current enrollment rows: they are never stored twice.

What a parent can act on is finer than "vacant" (capacity − enrolled): of that
room, some places the head declared (open: an offer goes out to the queue; or
already offered to a child), and the rest is room by capacity the head has not
declared, which no child can be offered. Declared places belong to `offers`, a
layer above: when it is ready it hands this module how to count them
(`declared_places_set`), and they are counted in the same query as the rest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import (
    Count,
    Exists,
    Expression,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest

from sadok.allocation.ages import age_in_months
from sadok.kindergartens.models import District, Enrollment, Group, Kindergarten, Specialisation
from sadok.translit import words_match


def _count_subquery(queryset: QuerySet, *, key: str) -> Coalesce:
    """COUNT(*) of `queryset` rows per outer row, 0 when there are none."""
    counted = queryset.values(key).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


# Given the group's pk (an OuterRef) and whether to count the places offered to a
# child (else the open ones, with no offer yet): an expression counting them.
DeclaredPlaces = Callable[..., Expression]
_declared: list[DeclaredPlaces] = []


def declared_places_set(counter: DeclaredPlaces) -> None:
    """`offers` tells how to count a group's declared places (at app ready)."""
    _declared[:] = [counter]


def _declared_count(*, group: OuterRef, offered: bool) -> Expression:
    if not _declared:
        return Value(0)
    return _declared[0](group=group, offered=offered)


def groups_with_places() -> QuerySet[Group]:
    """Groups annotated with `enrolled`, `vacant` (capacity − enrolled, never below
    0), and how that room splits for a parent: `open_places` (declared, offers go
    out), `offered_places` (declared, offered to a child), `declared` (their sum) and
    `undeclared` (room by capacity the head has not declared, never below 0)."""
    enrolled = _count_subquery(
        Enrollment.objects.filter(group=OuterRef("pk"), ended_on__isnull=True), key="group"
    )
    return (
        Group.objects.annotate(
            enrolled=enrolled,
            open_places=_declared_count(group=OuterRef("pk"), offered=False),
            offered_places=_declared_count(group=OuterRef("pk"), offered=True),
        )
        .annotate(
            vacant=Greatest(F("capacity") - F("enrolled"), Value(0)),
            declared=F("open_places") + F("offered_places"),
        )
        .annotate(
            undeclared=Greatest(
                F("capacity") - F("enrolled") - F("open_places") - F("offered_places"), Value(0)
            )
        )
    )


def kindergartens_with_places() -> QuerySet[Kindergarten]:
    """Kindergartens annotated with `total`, `enrolled`, `vacant`, `open_places`,
    `offered_places`, `declared` and `undeclared` over their groups."""
    per_kindergarten = (
        groups_with_places().filter(kindergarten=OuterRef("pk")).values("kindergarten")
    )

    def summed(field: str) -> Coalesce:
        total = per_kindergarten.annotate(s=Sum(field)).values("s")
        return Coalesce(Subquery(total, output_field=IntegerField()), Value(0))

    enrolled = _count_subquery(
        Enrollment.objects.filter(group__kindergarten=OuterRef("pk"), ended_on__isnull=True),
        key="group__kindergarten",
    )
    return Kindergarten.objects.select_related("district").annotate(
        total=summed("capacity"),
        vacant=summed("vacant"),
        open_places=summed("open_places"),
        offered_places=summed("offered_places"),
        declared=summed("declared"),
        undeclared=summed("undeclared"),
        enrolled=enrolled,
    )


@dataclass(frozen=True, slots=True)
class DirectoryFilter:
    """What a visitor of the map asked for; every field optional."""

    district: District | None = None
    language: str = ""
    type: str = ""
    specialisation: Specialisation | None = None
    born: dt.date | None = None
    search: str = ""


def groups_open_for(
    *, born: dt.date, today: dt.date, specialisation: Specialisation | None = None
) -> QuerySet[Group]:
    """Groups with a vacant place for a child born on `born`, at its age on `today`.

    Groups of a specialisation that needs a referral count only when the visitor
    asked for that specialisation: a child without a referral cannot take them.
    """
    months = age_in_months(born=born, at=today)
    referral_free = Q(specialisation__isnull=True) | Q(specialisation__referral="")
    if specialisation is not None:
        referral_free |= Q(specialisation=specialisation)
    return groups_with_places().filter(
        referral_free,
        age_from_months__lte=months,
        age_to_months__gt=months,
        vacant__gt=0,  # type: ignore[misc]
    )


def kindergartens_filtered(*, filters: DirectoryFilter, today: dt.date) -> QuerySet[Kindergarten]:
    """The public directory: kindergartens matching every given filter, by number."""
    queryset = kindergartens_with_places()
    if filters.district is not None:
        queryset = queryset.filter(district=filters.district)
    if filters.language:
        queryset = queryset.filter(language=filters.language)
    if filters.type:
        queryset = queryset.filter(type=filters.type)
    if filters.specialisation is not None:
        queryset = queryset.filter(
            Q(specialisations=filters.specialisation)
            | Q(groups__specialisation=filters.specialisation)
        ).distinct()
    if filters.born is not None:
        open_groups = groups_open_for(
            born=filters.born, today=today, specialisation=filters.specialisation
        )
        queryset = queryset.filter(Exists(open_groups.filter(kindergarten=OuterRef("pk"))))
    if filters.search:
        queryset = queryset.filter(_search_condition(filters.search))
    return queryset.order_by("number")


def _search_condition(text: str) -> Q:
    """A number ("123", "№123") matches that kindergarten; words match the number,
    name or address in any script and usual spelling: "svitlyachok" and
    "Svitliachok 216" find «Світлячок» (`sadok.translit`). The city has some 600
    kindergartens: their keys are compared here rather than in SQL, the same on
    PostgreSQL and on the demo's SQLite."""
    digits = text.replace("№", "").strip()
    words = text.replace("№", " ")
    matching = [
        pk
        for pk, number, name, address in Kindergarten.objects.values_list(
            "pk", "number", "name", "address"
        )
        if words_match(words, f"{number} {name} {address}")
    ]
    condition = Q(pk__in=matching)
    if digits.isdigit():
        condition |= Q(number=int(digits))
    return condition


# A kindergarten's totals, as `kindergartens_with_places` annotates them: the sum of
# each group field over its groups.
_TOTALS = (
    ("total", "capacity"),
    ("enrolled", "enrolled"),
    ("vacant", "vacant"),
    ("open_places", "open_places"),
    ("offered_places", "offered_places"),
    ("declared", "declared"),
    ("undeclared", "undeclared"),
)


def kindergarten_page(*, number: int) -> tuple[Kindergarten, list[Group]] | None:
    """One kindergarten and its groups with their places (`groups_of`), the
    kindergarten's totals summed from its groups as `kindergartens_with_places`
    annotates them (built here from the groups read anyway: the annotated query took
    most of the page's time); None when there is no such kindergarten."""
    kindergarten = Kindergarten.objects.select_related("district").filter(number=number).first()
    if kindergarten is None:
        return None
    groups = list(groups_of(kindergarten=kindergarten))
    for total, field in _TOTALS:
        setattr(kindergarten, total, sum(getattr(g, field) for g in groups))
    return kindergarten, groups


def groups_of(*, kindergarten: Kindergarten) -> QuerySet[Group]:
    return (
        groups_with_places()
        .filter(kindergarten=kindergarten)
        .select_related("specialisation")
        .order_by("age_from_months", F("specialisation").asc(nulls_first=True), "name")
    )
