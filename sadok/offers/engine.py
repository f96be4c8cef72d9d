"""The adapter between the database and the pure allocation core.

It reads what the core needs (places, groups, applicants, open offers), calls
`sadok.allocation`, and writes the result (offers, withdrawals, decisions) in
the caller's transaction. Only the queues a cascade actually reaches are read.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections.abc import Iterable

from django.db import connection
from django.db.models import Q

from sadok import clock
from sadok.allocation import (
    AgeRange,
    Allocation,
    Applicant,
    GroupSpec,
    OpenOffer,
    allocate,
    wave,
)
from sadok.allocation import Place as PlaceSpec
from sadok.applications.applicants import (
    ROW,
    Row,
    applicants_at,
    lists_decoded,
    records_of,
)
from sadok.applications.models import QueueKey, QueueRecord
from sadok.applications.selectors import group_spec
from sadok.bulk import among, rows_insert, rows_insert_with_ids
from sadok.kindergartens.models import Group, Specialisation
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


def _tables() -> dict[str, str]:
    models = {
        "record": QueueRecord,
        "key": QueueKey,
        "offer": Offer,
        "place": Place,
        "group": Group,
        "specialisation": Specialisation,
    }
    return {name: connection.ops.quote_name(m._meta.db_table) for name, m in models.items()}


# A round of `allocation_run`: the records of the children in good standing who may
# be in one of the queues (each queue's kindergarten and a superset of its age band,
# from `QueueKey`), each with the open offer it holds and that offer's group (a
# child holds at most one open offer, so the joins add no rows). A child not in good
# standing (deactivated, unverified, flagged) can take no place (`queue.standing`).
# Written as SQL, not composed by the ORM: this runs once per step of a cascade
# inside a head's request, and the ORM's version (a join through the child's row,
# and composing the query) took twice as long (benchmarks/allocation.py (e)).
_QUEUES_SQL = """
SELECT r.child_id, r.born, r.registered_at, r.lottery, r.active, r.keep_waiting,
       r.verified, r.flagged, CAST(r.lists AS text),
       o.place_id, p.group_id, g.kindergarten_id, g.age_from_months, g.age_to_months,
       s.referral
FROM {record} r
LEFT JOIN {offer} o ON o.child_id = r.child_id AND o.status = %s
LEFT JOIN {place} p ON p.id = o.place_id
LEFT JOIN {group} g ON g.id = p.group_id
LEFT JOIN {specialisation} s ON s.id = g.specialisation_id
WHERE r.active AND r.verified AND NOT r.flagged
  AND r.child_id IN (SELECT k.record_id FROM {key} k WHERE {keys})
"""
_KEY_SQL = "(k.kindergarten_id = %s AND k.born BETWEEN %s AND %s)"


def _queues_read(
    *, queues: Iterable[GroupSpec], at: dt.date
) -> tuple[list[Applicant], list[OpenOffer], dict[int, GroupSpec]]:
    """The applicants who may take a place in `queues` (see `_QUEUES_SQL`), the
    open offers they hold and those offers' groups."""
    params: list[str | int | dt.date] = [OfferStatus.OFFERED.value]
    for group in queues:
        params += [group.kindergarten, *group.ages.born_between(at)]
    if len(params) == 1:
        return [], [], {}
    keys = " OR ".join([_KEY_SQL] * ((len(params) - 1) // 3))
    with connection.cursor() as cursor:
        cursor.execute(_QUEUES_SQL.format(keys=keys, **_tables()), params)
        rows = lists_decoded(cursor.fetchall())
    width = len(ROW)
    offers, groups = [], {}
    for row in rows:
        place, group, kindergarten, low, high, referral = row[width:]
        if place is not None:
            offers.append(
                OpenOffer(place=place, group=group, kindergarten=kindergarten, applicant=row[0])
            )
            groups[group] = GroupSpec(group, kindergarten, AgeRange(low, high), referral or None)
    return applicants_at([_aware(row[:width]) for row in rows], at=at), offers, groups


def _aware(row: Row) -> Row:
    """SQLite (the embedded demo) returns a raw query's date-times naive, in UTC."""
    registered_at = row[2]
    if registered_at.tzinfo is None:
        return (*row[:2], registered_at.replace(tzinfo=dt.UTC), *row[3:])
    return row


def _groups(**where: object) -> dict[int, GroupSpec]:
    return {
        g.pk: group_spec(g) for g in Group.objects.filter(**where).select_related("specialisation")
    }


def allocation_run(*, places: list[Place], kind: str, user_id: int | None = None) -> AllocationRun:
    """Offer free places now (SPEC.md steps 1-2), with upgrades cascading.

    Only the queues a cascade reaches are read: at first those of the free places'
    groups. A child who upgrades frees a place in another group, whose queue must
    then be complete too: if the result freed a place in a queue not read, read it
    as well and compute again. The result is the one over the whole city (a child
    not in the queue of any group with a place can neither get nor give one up).
    """
    now = clock.now()
    today = now.astimezone(clock.KYIV).date()
    free = [PlaceSpec(id=p.pk, group=p.group_id) for p in places]
    groups = _groups(pk__in={p.group_id for p in places})
    reach = set(groups)
    pool: dict[int, Applicant] = {}
    open_offers: list[OpenOffer] = []
    read: set[int] = set()
    while True:
        # Each round reads only the queues not read yet, and the open offers of the
        # children it adds, with those offers' groups.
        found, held, their_groups = _queues_read(queues=[groups[g] for g in reach - read], at=today)
        read |= reach
        new = {a.id for a in found} - pool.keys()
        pool.update((a.id, a) for a in found if a.id in new)
        open_offers += [o for o in held if o.applicant in new]
        groups = their_groups | groups
        result = allocate(
            places=free,
            groups=groups,
            applicants=sorted(pool.values(), key=lambda a: a.id),
            open_offers=open_offers,
            at=today,
        )
        freed = {w.group for w in result.withdrawn}
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
    groups = _groups(kindergarten__in=kindergartens)
    # Only children who can take a place: in good standing (`queue.standing`, which
    # the wave checks again) and holding no live offer.
    rows = records_of(
        kindergartens=kindergartens,
        where=Q(active=True, verified=True, flagged=False)
        & ~Q(child__offers__status__in=(OfferStatus.OFFERED, OfferStatus.ACCEPTED)),
    )
    applicants = applicants_at(rows, at=on)
    result = wave(
        places=[PlaceSpec(id=p.pk, group=p.group_id) for p in places],
        groups=groups,
        applicants=applicants,
        at=on,
    )
    if dry_run:
        return result, None
    return result, _write(result, kind=AllocationRun.Kind.WAVE, at=now, user_id=user_id)


_OFFER_FIELDS = (
    "place_id",
    "child_id",
    "status",
    "reason",
    "made_at",
    "answer_by",
    "remind_at",
    "documents_working_days",
    "extension_working_days",
    "closed_reason",
)


def _write(result: Allocation, *, kind: str, at: dt.datetime, user_id: int | None) -> AllocationRun:
    # Withdrawals first: the partial unique indexes see one live offer at a time.
    if result.withdrawn:
        # One statement: a withdrawn offer was only ever offered, so the children's
        # queue records do not change (`applications/signals.py`).
        which = functools.reduce(
            operator.or_, (Q(place_id=o.place, child_id=o.applicant) for o in result.withdrawn)
        )
        changed = Offer.objects.filter(which, status=OfferStatus.OFFERED).update(
            status=next_status(OfferStatus.OFFERED, Event.WITHDRAW),
            closed_at=at,
            closed_reason=UPGRADE_REASON,
        )
        if changed != len(result.withdrawn):  # cannot happen under the allocation lock
            raise RuntimeError(f"{len(result.withdrawn)} offers to withdraw, {changed} open")
        Place.objects.filter(pk__in=[o.place for o in result.withdrawn]).update(
            status=PlaceStatus.OPEN
        )
    reasons = {(d.place, d.applicant): d.reason for d in result.decisions if d.place is not None}
    rules = rules_current()
    deadline = answer_by(made_at=at, rules=rules)
    reminder = remind_at(answer_by=deadline, rules=rules)
    offer_ids = rows_insert_with_ids(
        Offer,
        _OFFER_FIELDS,
        (
            (
                o.place,
                o.applicant,
                OfferStatus.OFFERED.value,
                str(reasons.get((o.place, o.applicant), "offered")),
                at,
                deadline,
                reminder,
                rules.documents_working_days,
                rules.extension_working_days,
                "",
            )
            for o in result.offers
        ),
    )
    offer_events_record(offers=offer_ids, event=OfferEvent.OFFERED)
    if result.offers:
        Place.objects.filter(among("pk", (o.place for o in result.offers))).update(
            status=PlaceStatus.OFFERED
        )
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
    rows_insert(
        Decision,
        ("run_id", "place_id", "child_id", "group_id", "reason", "withdrawn_place_id"),
        (
            (run.pk, d.place, d.applicant, d.group, str(d.reason), d.withdrawn_place)
            for d in result.decisions
        ),
    )
    return run
