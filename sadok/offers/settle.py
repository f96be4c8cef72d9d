"""No declared place stays open while a child eligible for it waits.

SPEC.md "Group formation", the invariant: whatever makes a child eligible
(registering, choosing, a confirmed privilege or referral, reactivation, a
resolved flag, verified contacts, a place it held ending) the open places it now
fits are offered at once by the same engine and rule. Places declared for a
September wave wait for the wave until its date. A daily run shortly after
midnight offers every open place again, for the birthdays that move children into
a group's age band.

The engine runs one at a time under the city-wide allocation lock. A parent's
write must not wait behind a running wave (seconds): when the lock is taken, the
offer is made by the worker right after the parent's transaction commits.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Q, QuerySet

from sadok import clock
from sadok.allocation import Candidates, Reason, eligibility
from sadok.offers.engine import (
    _ALLOCATION_LOCK,
    allocation_run,
    group_specs,
    open_offers_of,
    serialize_allocations,
)
from sadok.offers.models import AllocationRun, Place, PlaceStatus
from sadok.queue.applicants import applicants_at, records_rows
from sadok.queue.models import QueueKey, QueueRecord


def places_unreserved() -> QuerySet[Place]:
    """Open places the engine may offer today: declared for no wave, or for a wave
    whose date has come."""
    return Place.objects.filter(status=PlaceStatus.OPEN).filter(
        Q(wave_date__isnull=True) | Q(wave_date__lte=clock.today())
    )


def _blocking(children: Iterable[int]) -> list[Place]:
    """The open places that one of `children` is in the queue of today and would take
    (it holds no offer at a kindergarten it ranked as high or higher)."""
    ids = sorted(set(children))
    places = list(
        places_unreserved()
        .filter(
            group__kindergarten__in=QueueKey.objects.filter(record__in=ids).values(
                "kindergarten_id"
            )
        )
        .order_by("pk")
    )
    if not places:
        return []
    today = clock.today()
    applicants = applicants_at(records_rows(QueueRecord.objects.filter(pk__in=ids)), at=today)
    held = open_offers_of(children=[a.id for a in applicants])
    groups = group_specs(pk__in={p.group_id for p in places})
    # Only the children who chose a place's kindergarten can be in its queue (the
    # rest are NOT_APPLIED), and places of one group have the same queue.
    candidates = Candidates(applicants)
    taken = {
        group_id: any(
            eligibility(applicant=a, group=group, at=today) is Reason.ELIGIBLE
            and (
                (offer := held.get(a.id)) is None
                or a.rank(group.kindergarten) < a.rank(offer.kindergarten)
            )
            for a in candidates.of(group.kindergarten)
        )
        for group_id, group in groups.items()
    }
    return [place for place in places if taken[place.group_id]]


def _lock_taken() -> bool:
    """Take the allocation lock if it is free; False when a run (a wave) holds it."""
    if connection.vendor != "postgresql":
        return True  # SQLite writes one transaction at a time anyway
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [_ALLOCATION_LOCK])
        (taken,) = cursor.fetchone()
    return bool(taken)


def open_places_offer(*, children: Iterable[int]) -> AllocationRun | None:
    """Offer at once every open place that one of `children` now fits (the door's
    last step, in the writer's transaction). When another run holds the lock, the
    worker does it right after this transaction commits."""
    ids = sorted(set(children))
    if not ids:
        return None
    places = _blocking(ids)
    if not places:
        return None
    if not _lock_taken():
        from sadok.offers.tasks import places_settle

        transaction.on_commit(lambda: places_settle.enqueue(children=ids))
        return None
    return allocation_run(places=places, kind=AllocationRun.Kind.ENTRY)


def open_places_offer_later(*, children: list[int]) -> AllocationRun | None:
    """The worker's turn of `open_places_offer`: waits for the lock."""
    with transaction.atomic():
        serialize_allocations()
        places = _blocking(children)
        if not places:
            return None
        return allocation_run(places=places, kind=AllocationRun.Kind.ENTRY)


def places_offer_daily() -> AllocationRun | None:
    """Every open place the engine may offer today, once more (after midnight: a
    birthday moved a child into a band, or a wave's date came)."""
    with transaction.atomic():
        serialize_allocations()
        places = list(places_unreserved().select_for_update().order_by("pk"))
        if not places:
            return None
        return allocation_run(places=places, kind=AllocationRun.Kind.DAILY)
