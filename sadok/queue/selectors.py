"""Reads of the queues: a group's queue in order, and where a child stands in each
of its queues (SPEC.md "The queue", "Transparency").

Both are counted by the database with the SQL of `rule.py`, built from the core's
definitions: a child's positions never load its queues into Python.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection
from django.db.models import Model

from sadok.allocation import Applicant, GroupSpec, Position, Reason, Tier, eligibility
from sadok.applications.models import Child, Choice
from sadok.kindergartens.models import District, Group, Kindergarten, Specialisation
from sadok.queue.applicants import ROW, applicants_at, rows_decoded
from sadok.queue.rule import membership, positions_sql, queue_sql, tables

# The record's columns of an applicant's row (`applicants.ROW`), as SQL over `r`.
ROW_SQL = ", ".join(
    "CAST(r.lists AS text)" if column == "lists" else f"r.{column}" for column in ROW
)


def group_spec(group: Group) -> GroupSpec:
    referral = group.specialisation.referral if group.specialisation else ""
    return GroupSpec(
        id=group.pk,
        kindergarten=group.kindergarten_id,
        ages=group.age_range,
        referral=referral or None,
    )


def queue_read(
    *, group: GroupSpec, at: dt.date, limit: int | None = None, offset: int = 0
) -> list[Applicant]:
    """`group`'s queue on `at`, best first (its first `limit` children after the first
    `offset`, or all): the same list as `sadok.allocation.group_queue` over every
    child of the city."""
    sql, params = queue_sql(group=group, at=at, columns=ROW_SQL, limit=limit, offset=offset)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = [row[: len(ROW)] for row in cursor.fetchall()]
    return applicants_at(rows_decoded(rows), at=at)


def queue_length(*, group: GroupSpec, at: dt.date) -> int:
    """How many children `group`'s queue holds on `at`: counted from the keys' covering
    index, no record read (a head's dashboard, a group change's effect)."""
    where = membership(group=group, at=at)
    sql = f"SELECT COUNT(*) FROM {tables()['key']} k WHERE {where.sql}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, where.params)
        (count,) = cursor.fetchone()
    return int(count)


def queue_lengths(*, groups: list[GroupSpec], at: dt.date) -> dict[int, int]:
    """How many children each of `groups`' queues holds on `at`, by group id, in one
    statement (a kindergarten's public page): `queue_length` for each."""
    if not groups:
        return {}
    parts, params = [], []
    for group in groups:
        where = membership(group=group, at=at)
        parts.append(f"SELECT %s, COUNT(*) FROM {tables()['key']} k WHERE {where.sql}")  # noqa: S608
        params += [group.id, *where.params]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        return {int(group_id): int(count) for group_id, count in cursor.fetchall()}


# What the child page shows of each choice (the fields it reads: the choice, its
# kindergarten and district, the kindergarten's groups with their specialisation's
# referral) and the child's own queue record, in one statement: the page parents
# open most, where the ORM's two queries took as long to compose as to run.
_CHOSEN = (
    ("c", Choice, ("id", "child_id", "kindergarten_id", "rank", "added_at")),
    ("k", Kindergarten, ("id", "number", "name", "district_id")),
    ("d", District, ("id", "slug", "name", "name_en")),
    (
        "g",
        Group,
        ("id", "kindergarten_id", "name", "age_from_months", "age_to_months", "specialisation_id"),
    ),
    ("s", Specialisation, ("id", "slug", "name", "name_en", "referral")),
)


def _column(model: type[Model], attname: str) -> str:
    return next(f.column for f in model._meta.concrete_fields if f.attname == attname)


def _chosen_sql() -> str:
    quote = connection.ops.quote_name
    columns = ", ".join(
        f"{alias}.{quote(_column(model, name))}"
        for alias, model, names in _CHOSEN
        for name in names
    )
    table = {alias: quote(model._meta.db_table) for alias, model, _ in _CHOSEN}
    return (
        f"SELECT {columns}, {ROW_SQL} FROM {table['c']} c "  # noqa: S608
        f"JOIN {table['k']} k ON k.id = c.kindergarten_id "
        f"JOIN {table['d']} d ON d.id = k.district_id "
        f"LEFT JOIN {table['g']} g ON g.kindergarten_id = k.id "
        f"LEFT JOIN {table['s']} s ON s.id = g.specialisation_id "
        f"LEFT JOIN {tables()['record']} r ON r.child_id = c.child_id "
        f"WHERE c.child_id = %s ORDER BY c.rank, c.id, g.id"
    )


@dataclass(frozen=True)
class Chosen:
    """The child's choices, best first, each with its kindergarten's groups; and the
    child as the queue sees it on the date asked (None: not registered)."""

    choices: list[tuple[Choice, list[Group]]]
    me: Applicant | None


def chosen_of(*, child: Child, at: dt.date) -> Chosen:
    with connection.cursor() as cursor:
        cursor.execute(_chosen_sql(), [child.pk])
        rows = cursor.fetchall()
    db = connection.alias
    chosen: dict[int, tuple[Choice, list[Group]]] = {}
    for row in rows:
        parts, start = {}, 0
        for alias, _model, names in _CHOSEN:
            parts[alias] = row[start : start + len(names)]
            start += len(names)
        choice_id = parts["c"][0]
        if choice_id not in chosen:
            choice = Choice.from_db(db, _CHOSEN[0][2], parts["c"])
            kindergarten = Kindergarten.from_db(db, _CHOSEN[1][2], parts["k"])
            kindergarten.district = District.from_db(db, _CHOSEN[2][2], parts["d"])
            choice.kindergarten = kindergarten
            choice.child = child
            chosen[choice_id] = (choice, [])
        if parts["g"][0] is not None:
            group = Group.from_db(db, _CHOSEN[3][2], parts["g"])
            group.kindergarten = chosen[choice_id][0].kindergarten
            group.specialisation = (
                Specialisation.from_db(db, _CHOSEN[4][2], parts["s"])
                if parts["s"][0] is not None
                else None
            )
            chosen[choice_id][1].append(group)
    record = rows[0][start:] if rows and rows[0][start] is not None else None
    me = applicants_at(rows_decoded([record]), at=at)[0] if record else None
    return Chosen(list(chosen.values()), me)


def positions_of(
    *, child: int, queues: list[tuple[GroupSpec, dt.date]]
) -> dict[tuple[int, dt.date], Position]:
    """The child's position in each of `queues` (a group on a date) that it is in, by
    (group id, date), counted by the database in one statement: how many children
    are ahead of it in each tier, and the queue's length (`allocation.position`)."""
    if not queues:
        return {}
    sql, params = positions_sql(
        child=child, queues=[(n, group, at) for n, (group, at) in enumerate(queues)]
    )
    ahead: defaultdict[int, dict[Tier, int]] = defaultdict(lambda: dict.fromkeys(Tier, 0))
    sizes: defaultdict[int, int] = defaultdict(int)
    queued = set()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for tag, tier, before, size, mine in cursor.fetchall():
            ahead[tag][Tier(tier)] += int(before)
            sizes[tag] += int(size)
            if mine:
                queued.add(tag)
    return {
        (queues[tag][0].id, queues[tag][1]): Position(
            place=sum(by_tier.values()) + 1, ahead_by_tier=by_tier, size=sizes[tag]
        )
        for tag, by_tier in ahead.items()
        if tag in queued
    }


@dataclass(frozen=True)
class ChoiceStanding:
    """Where a child stands at one chosen kindergarten, now and on 1 September."""

    choice: Choice
    group_now: Group | None
    position_now: Position | None
    reason_now: Reason
    group_september: Group | None
    position_september: Position | None
    # The kindergarten's groups, general first (which band holds the child when).
    groups: tuple[Group, ...] = ()


def next_september(today: dt.date) -> dt.date:
    this_year = dt.date(today.year, 9, 1)
    return this_year if today <= this_year else dt.date(today.year + 1, 9, 1)


def standings_of(*, child: Child, today: dt.date) -> list[ChoiceStanding]:
    """For each chosen kindergarten: the group matching the child's age now and on
    1 September where it stands best, and its position there (SPEC.md "The queue").

    By the core's age rule the child can be only in the groups whose band holds its
    age on that date; the database counts, in one statement for both dates, whether
    it is in each of those queues (its standing, its place, a referral) and where.
    Where it is in no queue of a kindergarten now, the core says why from its
    record."""
    chosen = chosen_of(child=child, at=today)
    if not chosen.choices:
        return []
    september = next_september(today)
    # A general group first where two hold the child equally well.
    groups = sorted(
        (g for _, gs in chosen.choices for g in gs),
        key=lambda g: (g.specialisation_id is not None, g.pk),
    )
    specs = {g.pk: group_spec(g) for g in groups}
    positions = positions_of(
        child=child.pk,
        queues=[
            (specs[g.pk], at)
            for at in (today, september)
            for g in groups
            if g.age_range.holds_child(born=child.born, at=at)
        ],
    )
    standings = []
    for choice, _ in chosen.choices:
        mine = [g for g in groups if g.kindergarten_id == choice.kindergarten_id]
        now_group, now_position = _best(mine, positions, today)
        september_group, september_position = _best(mine, positions, september)
        reason = Reason.ELIGIBLE
        if now_group is None:
            reason = _why_not(chosen.me, [specs[g.pk] for g in mine], today)
        standings.append(
            ChoiceStanding(
                choice,
                now_group,
                now_position,
                reason,
                september_group,
                september_position,
                tuple(mine),
            )
        )
    return standings


def _why_not(me: Applicant | None, groups: list[GroupSpec], at: dt.date) -> Reason:
    """Why the child is in none of these groups' queues (the core's reasons)."""
    if me is None:
        return Reason.NOT_ELIGIBLE_NOT_APPLIED
    return _most_telling([eligibility(applicant=me, group=g, at=at) for g in groups])


def _best(
    groups: list[Group], positions: dict[tuple[int, dt.date], Position], at: dt.date
) -> tuple[Group | None, Position | None]:
    """The group of one kindergarten where the child stands best on `at` (the first
    on a tie)."""
    best: tuple[Group | None, Position | None] = (None, None)
    for group in groups:
        found = positions.get((group.pk, at))
        if found is not None and (best[1] is None or found.place < best[1].place):
            best = (group, found)
    return best


# Why a child is in no queue of a kindergarten: the most telling reason first
# (its record's standing, then its place, age, referral).
_REASON_WEIGHT = {
    Reason.NOT_ELIGIBLE_INACTIVE: 0,
    Reason.NOT_ELIGIBLE_FLAGGED: 1,
    Reason.NOT_ELIGIBLE_UNVERIFIED: 2,
    Reason.NOT_ELIGIBLE_ENROLLED: 3,
    Reason.NOT_ELIGIBLE_AGE: 4,
    Reason.NOT_ELIGIBLE_NO_REFERRAL: 5,
    Reason.NOT_ELIGIBLE_NOT_APPLIED: 6,
}


def _most_telling(reasons: list[Reason]) -> Reason:
    return min(reasons, key=lambda r: _REASON_WEIGHT.get(r, 99), default=Reason.NOT_ELIGIBLE_AGE)
