"""The one place where the queue rule meets SQL, built from the core's definitions.

`sadok.allocation.queue` defines the rule as data: `ORDER` (the fields a queue is
ordered by) and `STANDING` (what a record must be to queue at all), and
`tier_on` (a claim counts while in force). Here each is translated, field by field,
into SQL over the queue record (`r`) and its key (`k`): nothing of the rule is
retyped, and a field the core adds that has no column here fails at import.
`tests/queue/test_rule_sql.py` compares the database's queues and positions with
the core's on random data.

A group's queue on a date (SPEC.md "The queue") is then: the keys of its
kindergarten (a child who applied, and, with a place, still waits there), born so
that its age in months falls in the band (exact dates from `AgeRange.born_exactly`),
holding the group's referral in force if it needs one, in good standing, in the
order of the rule with the tier on that date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection

from sadok.allocation import GroupSpec, Tier
from sadok.allocation.queue import ORDER, STANDING
from sadok.queue.models import QueueKey, QueueRecord

TIERS = tuple(t for t in Tier if t is not Tier.NONE)  # best first
# The SQL built here carries no value in its text, only names from the core's
# definitions and this app's columns (hence its `noqa: S608`): every value is a
# parameter.
Params = list[int | str | dt.date | dt.datetime | None]


def tier_column(tier: Tier) -> str:
    """The record's column with the last day a claim of `tier` is in force."""
    return f"tier{tier.value}_until"


def referral_column(kind: str) -> str:
    """The record's column with the last day a referral of `kind` is in force."""
    return f"referral_{kind}_until"


def tables() -> dict[str, str]:
    quote = connection.ops.quote_name
    return {"record": quote(QueueRecord._meta.db_table), "key": quote(QueueKey._meta.db_table)}


def _in_force(column: str) -> str:
    # `tier_on`: in force while its last day is on or after the date (no end is
    # stored as the last day of all, no claim as NULL, which compares false).
    return f"r.{column} >= %s"


def tier_sql() -> tuple[str, int]:
    """The child's tier on a date (`tier_on`): the best tier with a claim in force.
    Returns the SQL and how many times it needs the date as a parameter."""
    whens = " ".join(f"WHEN {_in_force(tier_column(t))} THEN {t.value}" for t in TIERS)
    return f"CASE {whens} ELSE {Tier.NONE.value} END", len(TIERS)


def standing_sql() -> str:
    """`standing` is ELIGIBLE: each field of `STANDING` has its required value."""
    return " AND ".join(
        f"r.{field}" if required else f"NOT r.{field}" for field, required, _ in STANDING
    )


# Each field of the core's `ORDER`: the SQL over the record `r` that computes it
# (the tier comes from `tier_sql`), and the name a query selects it as.
_ORDER_COLUMNS = {
    "tier": ("", "queue_tier"),
    "registered_at": ("r.registered_at", "registered_at"),
    "lottery": ("r.lottery", "lottery"),
    "id": ("r.child_id", "child_id"),
}
ORDER_NAMES = tuple(_ORDER_COLUMNS[field][1] for field in ORDER)


def _order_select(record: str, prefix: str) -> tuple[str, int]:
    """The fields of `ORDER` selected from the record aliased `record`, each under
    its name with `prefix`, and how many date parameters the tier needs."""
    tier, uses = tier_sql()
    parts = []
    for field in ORDER:
        sql, name = _ORDER_COLUMNS[field]
        sql = tier if field == "tier" else sql
        parts.append(f"{sql.replace('r.', f'{record}.')} AS {prefix}{name}")
    return ", ".join(parts), uses


@dataclass(frozen=True)
class Membership:
    """The WHERE of a group's queue on a date (see the module's docstring), with its
    parameters."""

    sql: str
    params: Params


def membership(*, group: GroupSpec, at: dt.date) -> Membership:
    first, last = group.ages.born_exactly(at)
    sql = f"k.kindergarten_id = %s AND k.born BETWEEN %s AND %s AND {standing_sql()}"
    params: Params = [group.kindergarten, first, last]
    if group.referral is not None:
        sql += f" AND {_in_force(referral_column(group.referral))}"
        params.append(at)
    return Membership(sql, params)


def queue_sql(
    *, group: GroupSpec, at: dt.date, columns: str, limit: int | None
) -> tuple[str, Params]:
    """A statement that reads `group`'s queue on `at` in the rule's order (its first
    `limit` children, or all): `columns` of the record `r` and the key `k`, then the
    fields of `ORDER` (named `ORDER_NAMES` prefixed "q_"; the tier on `at` is
    `q_queue_tier`)."""
    order, uses = _order_select("r", "q_")
    where = membership(group=group, at=at)
    sql = (
        f"SELECT {columns}, {order} FROM {{key}} k "  # noqa: S608
        f"JOIN {{record}} r ON r.child_id = k.record_id "
        f"WHERE {where.sql} ORDER BY {', '.join('q_' + name for name in ORDER_NAMES)}"
    ).format(**tables())
    params: Params = [*[at] * uses, *where.params]
    if limit is not None:
        sql += " LIMIT %s"
        params.append(limit)
    return sql, params


def ahead_sql(*, group: GroupSpec, at: dt.date, child: int, tag: int) -> tuple[str, Params]:
    """A statement that counts, for each tier on `at`, the children of `group`'s queue
    ahead of `child` (by `ORDER`), all of them, and whether `child` is one of them:
    rows (tag, tier, ahead, size, mine). The child's own place in the order comes
    from its own record, in the same SQL."""
    theirs, uses = _order_select("r", "")
    mine, _ = _order_select("me", "me_")
    where = membership(group=group, at=at)
    me_names = ", ".join(f"me_{name}" for name in ORDER_NAMES)
    sql = (
        f"SELECT {int(tag)}, queue_tier, "  # noqa: S608
        f"SUM(CASE WHEN ({', '.join(ORDER_NAMES)}) < ({me_names}) THEN 1 ELSE 0 END), "
        f"COUNT(*), SUM(CASE WHEN child_id = me_child_id THEN 1 ELSE 0 END) "
        f"FROM (SELECT {theirs}, {mine} "
        f"FROM {{key}} k JOIN {{record}} r ON r.child_id = k.record_id "
        f"JOIN {{record}} me ON me.child_id = %s "
        f"WHERE {where.sql}) q GROUP BY queue_tier"
    ).format(**tables())
    return sql, [*[at] * uses, *[at] * uses, child, *where.params]
