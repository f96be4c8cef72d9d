"""The adapter between the database and the pure allocation core.

It reads what the core needs (places, groups, applicants, open offers), calls
`sadok.allocation`, and writes the result (offers, withdrawals, decisions) in
the caller's transaction. Only the queues a cascade actually reaches are read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import connection

from sadok import clock
from sadok.allocation import Allocation, Applicant, OpenOffer, allocate, wave
from sadok.allocation import Place as PlaceSpec
from sadok.applications.selectors import applicants_for, group_spec
from sadok.kindergartens.models import Group
from sadok.offers.deadlines import answer_by, remind_at, rules_current
from sadok.offers.events import OfferEvent, offer_events_record
from sadok.offers.models import (
    AllocationRun,
    Decision,
    Offer,
    OfferStatus,
    Place,
    PlaceStatus,
)
from sadok.offers.states import Event, next_status

UPGRADE_REASON = "дитина отримала пропозицію від садочка, вищого в списку батьків"

# One lock for the whole city: offers are decided one run at a time, in a total
# order, so that no two runs read the same queue and both act on it.
_ALLOCATION_LOCK = 0x5AD0C


def serialize_allocations() -> None:
    """Take the city-wide allocation lock until the end of the transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ALLOCATION_LOCK])


def _open_offers(children: Iterable[int]) -> list[OpenOffer]:
    rows = Offer.objects.filter(status=OfferStatus.OFFERED, child__in=list(children)).values_list(
        "place_id", "place__group_id", "place__group__kindergarten_id", "child_id"
    )
    return [OpenOffer(place=p, group=g, kindergarten=k, applicant=c) for p, g, k, c in rows]


def allocation_run(*, places: list[Place], kind: str, user_id: int | None = None) -> AllocationRun:
    """Offer free places now (SPEC.md steps 1-2), with upgrades cascading.

    Only the queues a cascade reaches are read. Start from the free places'
    kindergartens; a child who upgrades frees a place in another kindergarten,
    whose queue must then be complete too: if the result freed a place outside
    what was read, read that kindergarten's queue as well and compute again. The
    result is the same as over the whole city, at the cost of a few queues.
    """
    now = clock.now()
    today = now.astimezone(clock.KYIV).date()
    free = [PlaceSpec(id=p.pk, group=p.group_id) for p in places]
    reach = set(
        Group.objects.filter(pk__in={p.group_id for p in places}).values_list(
            "kindergarten_id", flat=True
        )
    )
    pool: dict[int, Applicant] = {}
    read: set[int] = set()
    while True:
        # Each round reads only the queues not read yet.
        for applicant in applicants_for(kindergartens=reach - read, at=today):
            pool[applicant.id] = applicant
        read |= reach
        applicants = sorted(pool.values(), key=lambda a: a.id)
        open_offers = _open_offers(pool)
        kindergartens = reach | {o.kindergarten for o in open_offers}
        groups = {
            g.pk: group_spec(g)
            for g in Group.objects.filter(kindergarten__in=kindergartens).select_related(
                "specialisation"
            )
        }
        result = allocate(
            places=free, groups=groups, applicants=applicants, open_offers=open_offers, at=today
        )
        freed = {groups[w.group].kindergarten for w in result.withdrawn}
        if freed <= reach:
            return _write(result, kind=kind, at=now, user_id=user_id)
        reach |= freed


def wave_run(
    *, places: list[Place], on: dt.date, user_id: int | None = None, dry_run: bool = False
) -> tuple[Allocation, AllocationRun | None]:
    """The September wave: every declared place at once, for children without a
    live offer, ages counted on the wave's date."""
    now = clock.now()
    kindergartens = set(
        Group.objects.filter(pk__in={p.group_id for p in places}).values_list(
            "kindergarten_id", flat=True
        )
    )
    groups = {
        g.pk: group_spec(g)
        for g in Group.objects.filter(kindergarten__in=kindergartens).select_related(
            "specialisation"
        )
    }
    busy = set(
        Offer.objects.filter(status__in=(OfferStatus.OFFERED, OfferStatus.ACCEPTED)).values_list(
            "child_id", flat=True
        )
    )
    applicants = [a for a in applicants_for(kindergartens=kindergartens, at=on) if a.id not in busy]
    result = wave(
        places=[PlaceSpec(id=p.pk, group=p.group_id) for p in places],
        groups=groups,
        applicants=applicants,
        at=on,
    )
    if dry_run:
        return result, None
    return result, _write(result, kind=AllocationRun.Kind.WAVE, at=now, user_id=user_id)


def _write(result: Allocation, *, kind: str, at: dt.datetime, user_id: int | None) -> AllocationRun:
    # Withdrawals first: the partial unique indexes see one live offer at a time.
    for old in result.withdrawn:
        withdrawn = Offer.objects.select_for_update().get(
            place_id=old.place, child_id=old.applicant, status=OfferStatus.OFFERED
        )
        withdrawn.status = next_status(withdrawn.status, Event.WITHDRAW)
        withdrawn.closed_at = at
        withdrawn.closed_reason = UPGRADE_REASON
        withdrawn.save(update_fields=["status", "closed_at", "closed_reason"])
        Place.objects.filter(pk=old.place).update(status=PlaceStatus.OPEN)
    reasons = {(d.place, d.applicant): d.reason for d in result.decisions if d.place is not None}
    rules = rules_current()
    deadline = answer_by(made_at=at, rules=rules)
    new_offers = Offer.objects.bulk_create(
        Offer(
            place_id=o.place,
            child_id=o.applicant,
            status=OfferStatus.OFFERED,
            reason=str(reasons.get((o.place, o.applicant), "offered")),
            made_at=at,
            answer_by=deadline,
            remind_at=remind_at(answer_by=deadline, rules=rules),
            documents_working_days=rules.documents_working_days,
            extension_working_days=rules.extension_working_days,
        )
        for o in result.offers
    )
    offer_events_record(offers=new_offers, event=OfferEvent.OFFERED)
    Place.objects.filter(pk__in=[o.place for o in result.offers]).update(status=PlaceStatus.OFFERED)
    run = AllocationRun.objects.create(
        kind=kind,
        at=at,
        triggered_by_id=user_id,
        summary={
            "places": len({o.place for o in result.offers} | {p.id for p in result.unfilled}),
            "offers": len(result.offers),
            "withdrawn": len(result.withdrawn),
            "unfilled": len(result.unfilled),
        },
    )
    Decision.objects.bulk_create(
        Decision(
            run=run,
            place_id=d.place,
            child_id=d.applicant,
            group_id=d.group,
            reason=str(d.reason),
            withdrawn_place_id=d.withdrawn_place,
        )
        for d in result.decisions
    )
    return run
