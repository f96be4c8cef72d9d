"""The adapter between the database and the pure allocation core.

It reads what the core needs (places, groups, applicants, open offers), calls
`sadok.allocation`, and writes the result (offers, withdrawals, decisions) in
the caller's transaction. Only the queues a cascade actually reaches are read.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from collections.abc import Iterator, Sequence
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Q

from sadok import clock
from sadok.allocation import (
    AgeRange,
    Allocation,
    Applicant,
    GroupSpec,
    OpenOffer,
    Reason,
    allocate,
    priority,
    wave,
)
from sadok.allocation import Place as PlaceSpec
from sadok.allocation.queue import ORDER, STANDING
from sadok.journal.services import SYSTEM, Actor
from sadok.kindergartens.models import Group, Specialisation
from sadok.offers import runs
from sadok.offers.models import (
    AllocationRun,
    Offer,
    OfferStatus,
    Place,
)
from sadok.queue.applicants import ROW, applicants_at, records_of, rows_decoded
from sadok.queue.kept import records_flush
from sadok.queue.rule import Params, queue_sql
from sadok.queue.selectors import ROW_SQL, group_spec

# One lock for the whole city: offers are decided one run at a time, in a total
# order, so that no two runs read the same queue and both act on it.
_ALLOCATION_LOCK = 0x5AD0C


def serialize_allocations() -> None:
    """Take the city-wide allocation lock until the end of the transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ALLOCATION_LOCK])


def _tables() -> dict[str, str]:
    models = {"offer": Offer, "place": Place, "group": Group, "specialisation": Specialisation}
    return {name: connection.ops.quote_name(m._meta.db_table) for name, m in models.items()}


# A round of `allocation_run` reads, for each queue, the head of it: its first
# `limit` children in the order of the queue rule on the reference date, as the
# queue app's SQL reads it (`queue.rule.queue_sql`, built from the core's rule).
# Each comes with the open offer it holds and that offer's group (a child holds at
# most one open offer, so the joins add no rows), and the queue's id. Plain SQL,
# not the ORM's: this runs once per step of a cascade inside a head's request.
_HEAD_COLUMNS = (
    ", o.place_id, p.group_id, g.kindergarten_id, g.age_from_months, g.age_to_months,"
    " s.referral, {n}"
)
_HEAD_JOINS = """
LEFT JOIN {offer} o ON o.child_id = r.child_id AND o.status = %s
LEFT JOIN {place} p ON p.id = o.place_id
LEFT JOIN {group} g ON g.id = p.group_id
LEFT JOIN {specialisation} s ON s.id = g.specialisation_id"""

# How many children of a queue a round reads at first; a walk of the queue that
# goes past them (`_short`) reads twice as many. After the September wave most
# children at the head of a queue hold a better offer and are passed over: in the
# Kyiv-scale benchmark a "+1" walks up to ~50 children of a queue, and 64 needed
# no second read in 50 runs (32 needed one in most cascades).
HEAD = 64

# Heads read by one statement at most (SQLite refuses a UNION of over 500; a round
# of a "+1" reads one or two).
_HEADS_AT_ONCE = 100

# A child's place in a queue (`priority`), as the database orders the head.
Key = tuple[int, dt.datetime, int, str]


def _key(ordered: Sequence[Any], row: Sequence[Any]) -> Key:
    """The `priority` of a head's row from the `ORDER` fields the database read (the
    registration time taken from the applicant's row, where it is zoned)."""
    values = dict(zip(ORDER, ordered, strict=True))
    values["registered_at"] = row[ROW.index("registered_at")]
    key: Key = tuple(values[field] for field in ORDER)
    return key


def _queues_read(
    *, heads: dict[GroupSpec, int], at: dt.date
) -> tuple[list[Applicant], list[OpenOffer], dict[int, GroupSpec], dict[int, Key]]:
    """The heads of `heads`' queues, each `limit` children long (see `_HEAD_COLUMNS`):
    the applicants, the open offers they hold, those offers' groups, and for each
    queue not read to its end the key of the last child read: the bound its walk
    must stop before (`_short`)."""
    if not heads:
        return [], [], {}, {}
    status, tables, found = OfferStatus.OFFERED.value, _tables(), []
    queues = list(heads.items())
    with connection.cursor() as cursor:
        for first in range(0, len(queues), _HEADS_AT_ONCE):
            chunk = queues[first : first + _HEADS_AT_ONCE]
            statements: list[str] = []
            params: Params = []
            for group, limit in chunk:
                queue, queue_params = queue_sql(
                    group=group,
                    at=at,
                    columns=ROW_SQL + _HEAD_COLUMNS.format(n=int(group.id)),
                    limit=limit,
                    joins=_HEAD_JOINS.format(**tables),
                    join_params=[status],
                )
                statements.append(f"SELECT * FROM ({queue}) head{len(statements)}")  # noqa: S608
                params += queue_params
            cursor.execute(" UNION ALL ".join(statements), params)
            found += cursor.fetchall()
    rows = rows_decoded(found)
    width, order = len(ROW), len(ROW) + 7
    offers, groups, seen = {}, {}, {}
    counts: dict[int, int] = dict.fromkeys((g.id for g in heads), 0)
    last: dict[int, Key] = {}
    for row in rows:
        pk = row[0]
        place, group, kindergarten, low, high, referral, queue = row[width:order]
        counts[queue] += 1
        key = _key(row[order:], row)
        if queue not in last or key > last[queue]:
            last[queue] = key
        seen[pk] = row[:width]
        if place is not None:
            offers[pk] = OpenOffer(
                place=place, group=group, kindergarten=kindergarten, applicant=pk
            )
            groups[group] = GroupSpec(group, kindergarten, AgeRange(low, high), referral or None)
    bounds = {g.id: last[g.id] for g, limit in heads.items() if counts[g.id] == limit}
    return applicants_at(list(seen.values()), at=at), list(offers.values()), groups, bounds


def _short(result: Allocation, *, pool: dict[int, Applicant], bounds: dict[int, Key]) -> set[int]:
    """The queues whose walk went past the head read: the walk reached the last
    child read (the bound) or a child after it, or ran out with a place left.

    The database read the head in the order of `priority`, so every child of the
    queue before the bound was read, and a walk that stops before the bound saw the
    queue exactly as the whole city has it."""
    short = set()
    for d in result.decisions:
        bound = bounds.get(d.group)
        if bound is None or d.reason == Reason.WITHDRAWN_FOR_UPGRADE:
            continue  # read to its end; or the group the child held an offer in
        if d.applicant is None or priority(pool[d.applicant]) >= bound:
            short.add(d.group)
    return short


def group_specs(**where: object) -> dict[int, GroupSpec]:
    """The engine's view of the groups that match `where`, by id."""
    return {
        g.pk: group_spec(g) for g in Group.objects.filter(**where).select_related("specialisation")
    }


def open_offers_of(*, children: list[int] | None) -> dict[int, OpenOffer]:
    """The open offer each of `children` holds (None: every child), by child."""
    offers = Offer.objects.filter(status=OfferStatus.OFFERED)
    if children is not None:
        offers = offers.filter(child__in=children)
    return {
        child: OpenOffer(place=place, group=group, kindergarten=kindergarten, applicant=child)
        for child, place, group, kindergarten in offers.values_list(
            "child_id", "place_id", "place__group_id", "place__group__kindergarten_id"
        )
    }


def allocation_run(*, places: list[Place], kind: str, actor: Actor = SYSTEM) -> AllocationRun:
    """Offer free places now (SPEC.md steps 1-2), with upgrades cascading.

    Only the queues a cascade reaches are read, and only their heads: at first
    the heads of the free places' groups. A child who upgrades frees a place in
    another group, whose queue must then be read too; a walk that went past the
    head read needs a longer head. Either way, read it and compute again. The
    result is the one over the whole city (a child not in the queue of any group
    with a place can neither get nor give one up; one behind the head read is
    never reached). From `SADOK_WHOLE_READ_FROM` places (a deadline sweep's batch,
    the nightly run), the queues are read whole instead (`allocation_run_whole`).
    """
    if len(places) >= settings.SADOK_WHOLE_READ_FROM:
        return allocation_run_whole(places=places, kind=kind, actor=actor)
    records_flush()  # what this transaction changed reaches the queues it reads
    now = clock.now()
    today = now.astimezone(clock.KYIV).date()
    free = [PlaceSpec(id=p.pk, group=p.group_id) for p in places]
    groups = group_specs(pk__in={p.group_id for p in places})
    todo = dict.fromkeys(groups, HEAD)  # queue -> how many of its children to read
    limits: dict[int, int] = {}
    bounds: dict[int, Key] = {}
    pool: dict[int, Applicant] = {}
    open_offers: dict[int, OpenOffer] = {}
    while True:
        # Each round reads the heads of the queues not read yet, or read too short,
        # and the open offers of the children it brings, with those offers' groups.
        found, held, their_groups, their_bounds = _queues_read(
            heads={groups[g]: n for g, n in todo.items()}, at=today
        )
        for g in todo:
            bounds.pop(g, None)
        bounds.update(their_bounds)
        limits.update(todo)
        pool.update((a.id, a) for a in found)
        open_offers.update((o.applicant, o) for o in held)
        groups = their_groups | groups
        result = allocate(
            places=free,
            groups=groups,
            applicants=sorted(pool.values(), key=lambda a: a.id),
            open_offers=list(open_offers.values()),
            at=today,
        )
        todo = {w.group: HEAD for w in result.withdrawn if w.group not in limits}
        todo |= {g: 2 * limits[g] for g in _short(result, pool=pool, bounds=bounds)}
        if not todo:
            return runs.run_write(
                result,
                kind=kind,
                at=now,
                actor=actor,
                read=pool.values(),
                reference=today,
                free=free,
            )


def _queues_whole(
    places: Sequence[PlaceSpec], *, at: dt.date
) -> tuple[dict[int, GroupSpec], list[Applicant], list[OpenOffer]]:
    """Every child in the queues of the kindergartens of `places`, read whole in one
    pass (as the wave reads the city), and of the kindergartens whose places those
    children hold open offers in, until no new one comes; with those kindergartens'
    groups and the open offers."""
    kindergartens = set(
        Group.objects.filter(pk__in={p.group for p in places}).values_list(
            "kindergarten_id", flat=True
        )
    )
    # Every open offer: one read, cheaper than following the holders query by query.
    open_offers = open_offers_of(children=None)
    standing = Q(**{field: required for field, required, _ in STANDING})
    while True:
        rows = records_of(kindergartens=kindergartens, where=standing)
        holders = [open_offers[row[0]] for row in rows if row[0] in open_offers]
        more = {o.kindergarten for o in holders} - kindergartens
        if not more:
            break
        kindergartens |= more
    return group_specs(kindergarten__in=kindergartens), applicants_at(rows, at=at), holders


@contextlib.contextmanager
def _cycles_collected_after() -> Iterator[None]:
    """Python's cycle collector paused for a batch: the wave builds over a million
    objects that live until it ends, and the collector walked them all again and
    again (1.4 s of the wave's 5.5 s). Reference counting frees as usual; the few
    cycles wait until the end."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


@_cycles_collected_after()
def allocation_run_whole(*, places: list[Place], kind: str, actor: Actor = SYSTEM) -> AllocationRun:
    """`allocation_run` for many places at once (a deadline sweep's batch): the same
    rule (`allocate`, places first in first out, upgrades cascading), but the queues
    read whole in one pass, as the wave reads them, instead of their heads round
    after round. For a few places the heads are cheaper; for hundreds, spread over
    the city, the rounds re-read the same queues deeper and deeper (the sweep's
    profile: 3 to 4 rounds a batch, each queue rebuilt in Python each round)."""
    records_flush()
    now = clock.now()
    today = now.astimezone(clock.KYIV).date()
    free = [PlaceSpec(id=p.pk, group=p.group_id) for p in places]
    groups, applicants, holders = _queues_whole(free, at=today)
    result = allocate(
        places=free, groups=groups, applicants=applicants, open_offers=holders, at=today
    )
    return runs.run_write(
        result, kind=kind, at=now, actor=actor, read=applicants, reference=today, free=free
    )


@_cycles_collected_after()
def wave_run(
    *, places: list[PlaceSpec], on: dt.date, actor: Actor = SYSTEM, dry_run: bool = False
) -> tuple[Allocation, AllocationRun | None]:
    """The September wave: every declared place at once, ages counted on the wave's
    date. Children holding an open offer take part with the upgrade rule (the place
    each holds joins the pool, its holder first in line there: `allocation.wave`);
    so the queues of the kindergartens whose places they hold are read too, and of
    those that the holders among them hold, until no new one comes."""
    records_flush()
    now = clock.now()
    groups, applicants, holders = _queues_whole(places, at=on)
    result = wave(places=places, groups=groups, applicants=applicants, at=on, open_offers=holders)
    if dry_run:
        return result, None
    return result, runs.run_write(
        result,
        kind=AllocationRun.Kind.WAVE,
        at=now,
        actor=actor,
        read=applicants,
        reference=on,
        free=places,
    )
