"""The journal's beginning: a GENESIS event for every registered child, group and
live place that has no event yet, so that the history can be replayed from the
start (`docs/events.md`). Written after `migrate` (a database from before the
journal) and by `load_demo_city` (whose families are written in bulk, past the
door). Idempotent: what already has an event is left alone."""

from __future__ import annotations

from sadok.journal.models import Event, EventKind
from sadok.journal.services import SYSTEM, Fact, events_append
from sadok.kindergartens.models import Group
from sadok.offers.facts import group_data
from sadok.offers.models import Offer, OfferStatus, Place, PlaceStatus
from sadok.queue.changes import SNAPSHOT, snapshot
from sadok.queue.models import QueueRecord


def genesis_ensure() -> int:
    """Write the missing genesis events; how many were written."""
    facts: list[Fact] = []
    told = Event.objects.values("child_id")
    for row in (
        QueueRecord.objects.exclude(child_id__in=told.filter(child_id__isnull=False))
        .select_related("child")
        .order_by("pk")
    ):
        facts.append(
            Fact(
                kind=EventKind.GENESIS,
                child_id=row.child_id,
                application_number=row.child.application_number,
                reason="child",
                data=snapshot({name: getattr(row, name) for name in SNAPSHOT}),
            )
        )
    groups = Event.objects.filter(group_id__isnull=False).values("group_id")
    for group in (
        Group.objects.exclude(pk__in=groups).select_related("specialisation").order_by("pk")
    ):
        facts.append(
            Fact(
                kind=EventKind.GENESIS,
                kindergarten_id=group.kindergarten_id,
                group_id=group.pk,
                reason="group",
                data=group_data(group),
            )
        )
    places = Event.objects.filter(place_id__isnull=False).values("place_id")
    live = {
        o.place_id: o
        for o in Offer.objects.filter(status__in=(OfferStatus.OFFERED, OfferStatus.ACCEPTED))
    }
    for place in (
        Place.objects.filter(status__in=(PlaceStatus.OPEN, PlaceStatus.OFFERED))
        .exclude(pk__in=places)
        .select_related("group")
        .order_by("pk")
    ):
        offer = live.get(place.pk)
        facts.append(
            Fact(
                kind=EventKind.GENESIS,
                child_id=offer.child_id if offer else None,
                kindergarten_id=place.group.kindergarten_id,
                group_id=place.group_id,
                place_id=place.pk,
                offer_id=offer.pk if offer else None,
                reason="place",
                data={
                    "wave_date": place.wave_date.isoformat() if place.wave_date else None,
                    "offer_status": offer.status if offer else None,
                },
            )
        )
    events_append(facts=facts, actor=SYSTEM)
    return len(facts)
