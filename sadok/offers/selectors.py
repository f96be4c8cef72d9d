"""Reads of the head's group page: its room, its queue, its places and offers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Expression, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from sadok.allocation import Applicant
from sadok.applications.models import Child
from sadok.kindergartens.models import Enrollment, Group
from sadok.offers.models import HELD, LIVE, Offer, OfferStatus, Place, PlaceStatus
from sadok.queue.selectors import group_spec, queue_read


@dataclass(frozen=True)
class Room:
    """A group's room: its capacity, the children attending it and the places
    declared and not yet filled (promised to the queue)."""

    capacity: int
    enrolled: int
    declared: int

    @property
    def taken(self) -> int:
        """Children in the group and places already declared."""
        return self.enrolled + self.declared

    @property
    def free(self) -> int:
        """Places a head may still declare; below 0 when the group is over-full."""
        return self.capacity - self.taken


def group_room(*, group: Group) -> Room:
    """The only place that counts a group's room (declaring places, saving the group)."""
    return Room(
        capacity=group.capacity,
        enrolled=group.enrollments.filter(ended_on__isnull=True).count(),
        declared=Place.objects.filter(group=group, status__in=HELD).count(),
    )


@dataclass(frozen=True)
class QueueRow:
    position: int
    applicant: Applicant
    child: Child


def queue_of_group(*, group: Group, today: dt.date) -> list[QueueRow]:
    """The group's queue now, in the public order (read as the engine reads it)."""
    ordered = queue_read(group=group_spec(group), at=today)
    children = Child.objects.in_bulk([a.id for a in ordered])
    return [QueueRow(i, a, children[a.id]) for i, a in enumerate(ordered, start=1)]


def offers_of_group(*, group: Group) -> QuerySet[Offer]:
    return (
        Offer.objects.filter(place__group=group)
        .select_related("child", "place")
        .order_by("-made_at", "-pk")
    )


def places_of_group(*, group: Group) -> QuerySet[Place]:
    return Place.objects.filter(group=group).order_by("-declared_at", "-pk")


def offers_of_child(*, child: Child) -> QuerySet[Offer]:
    """The child's offers, the live ones first, with where they are."""
    return (
        Offer.objects.filter(child=child)
        .select_related("place__group__kindergarten")
        .order_by("-made_at", "-pk")[:10]
    )


def accepted_offers_of_group(*, group: Group) -> QuerySet[Offer]:
    return (
        Offer.objects.filter(place__group=group, status=OfferStatus.ACCEPTED)
        .select_related("child")
        .order_by("documents_by")
    )


def group_list(*, group: Group) -> QuerySet[Enrollment]:
    """The children attending the group now (names only for its head: the template decides)."""
    return (
        Enrollment.objects.filter(group=group, ended_on__isnull=True)
        .select_related("child")
        .order_by("child__last_name", "started_on", "pk")
    )


def accepted_places_of(children: list[int] | None) -> Iterable[tuple[int, int]]:
    """(child, kindergarten) of every accepted offer of `children` (None: all): the
    family has a place there while its documents are on their way. The queue app
    reads it for its records (`queue.records.held_reader_add`)."""
    offers = Offer.objects.filter(status=OfferStatus.ACCEPTED)
    if children is not None:
        offers = offers.filter(child__in=children)
    return offers.values_list("child_id", "place__group__kindergarten_id")


def declared_places_count(*, group: OuterRef, offered: bool) -> Expression:
    """How many places the head declared in `group` are open (no offer yet: one goes
    out to the queue) or, with `offered`, offered to a child (answer or documents
    awaited): the kindergartens' public pages count them in their own query
    (`kindergartens.selectors.declared_places_set`)."""
    status = PlaceStatus.OFFERED if offered else PlaceStatus.OPEN
    counted = (
        Place.objects.filter(group=group, status=status)
        .values("group")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def place_offered_on(*, place_id: int) -> bool:
    """Whether a place is offered to (or accepted by) a child now: after a decline,
    whether it went on to the next child or stays open."""
    return Offer.objects.filter(place_id=place_id, status__in=LIVE).exists()
