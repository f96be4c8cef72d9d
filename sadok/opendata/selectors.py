"""Public reads of the open data: the anonymised queue of a group, a number's place
in it, and the directory of kindergartens and groups (SPEC.md "Open statistics",
"Transparency").

Nothing here returns a name, a certificate or a full date of birth: a queue row is
its position, the opaque application number only the family knows, the birth
year, the day of registration (no time) and the privilege tier.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone

from sadok.allocation import Tier
from sadok.applications.models import Child
from sadok.kindergartens.extras import GroupQueue
from sadok.kindergartens.models import Group, Kindergarten
from sadok.kindergartens.selectors import groups_with_places, kindergartens_with_places
from sadok.queue.models import QueueRecord
from sadok.queue.selectors import (
    group_spec,
    positions_of,
    queue_length,
    queue_lengths,
    queue_read,
    standings_of,
)


@dataclass(frozen=True)
class QueueRow:
    """One child of a group's public queue, as anyone may see it."""

    position: int
    application_number: str
    birth_year: int
    registered_on: dt.date
    tier: Tier


def public_group(*, number: int, group_id: int) -> Group | None:
    """The group `group_id` of the kindergarten `number`, with what its page shows."""
    return (
        Group.objects.select_related("kindergarten__district", "specialisation")
        .filter(pk=group_id, kindergarten__number=number)
        .first()
    )


def public_queue_length(*, group: Group, at: dt.date) -> int:
    return queue_length(group=group_spec(group), at=at)


def public_queue(*, group: Group, at: dt.date, offset: int, limit: int) -> list[QueueRow]:
    """`limit` children of `group`'s queue on `at` from position `offset` + 1, in the
    queue rule's order (`queue.selectors.queue_read`, the same order the cabinet's
    positions count), anonymised."""
    applicants = queue_read(group=group_spec(group), at=at, limit=limit, offset=offset)
    return [
        QueueRow(
            position=offset + n,
            application_number=a.number,
            birth_year=a.born.year,
            # The day in Kyiv: a registration just after midnight is that day's.
            registered_on=timezone.localtime(a.registered_at).date(),
            tier=a.tier,
        )
        for n, a in enumerate(applicants, start=1)
    ]


def number_normalised(text: str) -> str:
    """An application number as a family may type it: spaces and case do not matter."""
    return "".join(text.split()).upper()


def public_place(*, group: Group, number: str, at: dt.date) -> int | None:
    """The position of the application `number` in `group`'s queue on `at`, counted
    as the cabinet counts it (`queue.selectors.positions_of`); None when the number
    is unknown or not in this queue, which the caller does not tell apart."""
    child = (
        QueueRecord.objects.filter(number=number_normalised(number))
        .values_list("child_id", flat=True)
        .first()
    )
    if child is None:
        return None
    found = positions_of(child=child, queues=[(group_spec(group), at)]).get((group.pk, at))
    return found.place if found is not None else None


@dataclass(frozen=True)
class NumberPlace:
    """Where an application number stands in one of its queues."""

    kindergarten: int
    group_id: int
    group: str
    position: int
    size: int


def places_of_number(*, number: str, at: dt.date) -> list[NumberPlace]:
    """The positions of the application `number` on `at`: for each kindergarten its
    family chose, the group where it stands best now, as the cabinet shows it
    (`standings_of`); empty when the number is unknown or in no queue."""
    child = Child.objects.filter(application_number=number_normalised(number)).first()
    if child is None:
        return []
    return [
        NumberPlace(
            kindergarten=s.choice.kindergarten.number,
            group_id=s.group_now.pk,
            group=s.group_now.name,
            position=s.position_now.place,
            size=s.position_now.size,
        )
        for s in standings_of(child=child, today=at)
        if s.group_now is not None and s.position_now is not None
    ]


def group_queues(
    kindergarten: Kindergarten, groups: Sequence[Group], today: dt.date
) -> dict[int, GroupQueue]:
    """Each group's public queue page and length, for the kindergarten's page
    (registered with `kindergartens.extras`)."""
    lengths = queue_lengths(groups=[group_spec(g) for g in groups], at=today)
    return {
        g.pk: GroupQueue(
            url=reverse("opendata:queue", kwargs={"number": kindergarten.number, "group_id": g.pk}),
            length=lengths.get(g.pk, 0),
        )
        for g in groups
    }


def directory_groups(
    *, district: str = "", kindergarten: int | None = None, kind: str = ""
) -> QuerySet[Group]:
    """Every group with its places, filtered, in a stable order (kindergarten, age)."""
    groups = groups_with_places().select_related("kindergarten__district", "specialisation")
    if district:
        groups = groups.filter(kindergarten__district__slug=district)
    if kindergarten is not None:
        groups = groups.filter(kindergarten__number=kindergarten)
    if kind:
        groups = groups.filter(kind=kind)
    return groups.order_by("kindergarten__number", "age_from_months", "name", "pk")


def directory_kindergartens(
    *, district: str = "", number: int | None = None, kind: str = ""
) -> QuerySet[Kindergarten]:
    """Every kindergarten with its places and its groups (those of `kind`, if
    given), filtered, by number."""
    groups = (
        groups_with_places().select_related("specialisation").order_by("age_from_months", "name")
    )
    kindergartens = kindergartens_with_places()
    if district:
        kindergartens = kindergartens.filter(district__slug=district)
    if number is not None:
        kindergartens = kindergartens.filter(number=number)
    if kind:
        groups = groups.filter(kind=kind)
        kindergartens = kindergartens.filter(groups__kind=kind).distinct()
    return kindergartens.prefetch_related(Prefetch("groups", queryset=groups)).order_by("number")
