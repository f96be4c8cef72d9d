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

from sadok.allocation import Applicant, GroupSpec, Position, Reason, Tier, eligibility
from sadok.applications.models import Child, Choice
from sadok.kindergartens.models import Group
from sadok.queue.applicants import ROW, applicants_at, records_rows, rows_decoded
from sadok.queue.models import QueueRecord
from sadok.queue.rule import ahead_sql, queue_sql

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


def queue_read(*, group: GroupSpec, at: dt.date, limit: int | None = None) -> list[Applicant]:
    """`group`'s queue on `at`, best first (its first `limit` children, or all): the
    same list as `sadok.allocation.group_queue` over every child of the city."""
    sql, params = queue_sql(group=group, at=at, columns=ROW_SQL, limit=limit)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = [row[: len(ROW)] for row in cursor.fetchall()]
    return applicants_at(rows_decoded(rows), at=at)


def applicant_of(*, child: int, at: dt.date) -> Applicant | None:
    """The child as the queue sees it on `at`; None when it is not registered."""
    rows = records_rows(QueueRecord.objects.filter(pk=child))
    return applicants_at(rows, at=at)[0] if rows else None


def positions_of(*, child: int, groups: list[GroupSpec], at: dt.date) -> dict[int, Position]:
    """The child's position in each of `groups`' queues on `at` that it is in, by group
    id, counted by the database in one statement: how many children are ahead of it
    in each tier, and the queue's length (`sadok.allocation.position`)."""
    if not groups:
        return {}
    statements = [ahead_sql(group=g, at=at, child=child, tag=g.id) for g in groups]
    sql = " UNION ALL ".join(f"SELECT * FROM ({s}) p{n}" for n, (s, _) in enumerate(statements))  # noqa: S608
    params = [p for _, ps in statements for p in ps]
    ahead: defaultdict[int, dict[Tier, int]] = defaultdict(lambda: dict.fromkeys(Tier, 0))
    sizes: defaultdict[int, int] = defaultdict(int)
    queued = set()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for group, tier, before, size, mine in cursor.fetchall():
            ahead[group][Tier(tier)] += int(before)
            sizes[group] += int(size)
            if mine:
                queued.add(group)
    return {
        group: Position(place=sum(by_tier.values()) + 1, ahead_by_tier=by_tier, size=sizes[group])
        for group, by_tier in ahead.items()
        if group in queued
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


def next_september(today: dt.date) -> dt.date:
    this_year = dt.date(today.year, 9, 1)
    return this_year if today <= this_year else dt.date(today.year + 1, 9, 1)


def standings_of(*, child: Child, today: dt.date) -> list[ChoiceStanding]:
    """For each chosen kindergarten: the group matching the child's age now and on
    1 September where it stands best, and its position there (SPEC.md "The queue").

    The core decides which groups' queues the child is in (and why not, when none);
    the database counts its position in them, for both dates in one statement."""
    choices = list(
        child.choices.select_related("kindergarten", "kindergarten__district").order_by("rank")
    )
    if not choices:
        return []
    september = next_september(today)
    groups = sorted(
        Group.objects.filter(kindergarten__in=[c.kindergarten_id for c in choices]).select_related(
            "specialisation"
        ),
        key=lambda g: (g.specialisation_id is not None, g.pk),  # a general group first on a tie
    )
    me_now = applicant_of(child=child.pk, at=today)
    me_september = applicant_of(child=child.pk, at=september) if me_now else None
    specs = {g.pk: group_spec(g) for g in groups}
    reasons: dict[tuple[dt.date, int], Reason] = {}
    for at, me in ((today, me_now), (september, me_september)):
        for group in groups:
            reason = Reason.NOT_ELIGIBLE_NOT_APPLIED
            if me is not None:
                reason = eligibility(applicant=me, group=specs[group.pk], at=at)
            reasons[at, group.pk] = reason
    positions = {
        at: positions_of(
            child=child.pk,
            groups=[specs[g.pk] for g in groups if reasons[at, g.pk] is Reason.ELIGIBLE],
            at=at,
        )
        for at in (today, september)
    }
    standings = []
    for choice in choices:
        mine = [g for g in groups if g.kindergarten_id == choice.kindergarten_id]
        now_group, now_position = _best(mine, positions[today])
        september_group, september_position = _best(mine, positions[september])
        standings.append(
            ChoiceStanding(
                choice,
                now_group,
                now_position,
                Reason.ELIGIBLE
                if now_group is not None
                else _most_telling([reasons[today, g.pk] for g in mine]),
                september_group,
                september_position,
            )
        )
    return standings


def _best(
    groups: list[Group], positions: dict[int, Position]
) -> tuple[Group | None, Position | None]:
    """The group of one kindergarten where the child stands best (the first on a tie)."""
    best: tuple[Group | None, Position | None] = (None, None)
    for group in groups:
        found = positions.get(group.pk)
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
