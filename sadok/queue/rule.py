"""The one place where the queue rule meets SQL, built from the core's definitions.

`sadok.allocation.queue` defines the rule as data: `ORDER` (the fields a queue is
ordered by) and `STANDING` (what a record must be to queue at all), and
`tier_on` (a claim counts while in force). Here each is translated, field by field,
into SQL over a queue key (`k`, which carries a copy of its record's columns that
the rule reads, `records.KEY_COPIES`) or a record: nothing of the rule is retyped,
and a field the core adds that has no column here fails at import.
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
from sadok.kindergartens.models import ReferralKind
from sadok.queue.models import QueueKey, QueueRecord

TIERS = tuple(t for t in Tier if t is not Tier.NONE)  # best first
_REFERRAL_KINDS = tuple(ReferralKind.values)
# The SQL built here carries no value in its text, only names from the core's
# definitions and this app's columns (hence its `noqa: S608`): every value is a
# parameter.
Params = list[int | str | dt.date | dt.datetime | None]


def tier_column(tier: Tier) -> str:
    """The column with the last day a claim of `tier` is in force."""
    return f"tier{tier.value}_until"


def referral_column(kind: str) -> str:
    """The column with the last day a referral of `kind` is in force."""
    return f"referral_{kind}_until"


def tables() -> dict[str, str]:
    quote = connection.ops.quote_name
    return {"record": quote(QueueRecord._meta.db_table), "key": quote(QueueKey._meta.db_table)}


def _in_force(alias: str, column: str, on: str = "%s") -> str:
    # `tier_on`: in force while its last day is on or after the date `on` (no end is
    # stored as the last day of all, no claim as NULL, which compares false).
    return f"{alias}.{column} >= {on}"


def tier_sql(alias: str, on: str = "%s") -> tuple[str, int]:
    """The tier on the date `on` (`tier_on`) of the key or record `alias`: the best
    tier with a claim in force. Returns the SQL and how many times it needs the date
    as a parameter (none when `on` is a column)."""
    whens = " ".join(f"WHEN {_in_force(alias, tier_column(t), on)} THEN {t.value}" for t in TIERS)
    return f"CASE {whens} ELSE {Tier.NONE.value} END", len(TIERS) if on == "%s" else 0


def standing_sql(alias: str) -> str:
    """`standing` is ELIGIBLE: each field of `STANDING` has its required value."""
    return " AND ".join(
        f"{alias}.{field}" if required else f"NOT {alias}.{field}"
        for field, required, _ in STANDING
    )


def _bytewise(column: str) -> str:
    """`column`, a text, compared character by character as Python compares strings
    (the core's order), whatever the database's locale: PostgreSQL's "C" collation;
    SQLite's default comparison already is."""
    return f'{column} COLLATE "C"' if connection.vendor == "postgresql" else column


# Each field of the core's `ORDER`: the column of a key or record that holds it
# (the tier is computed, `tier_sql`), and the name a query selects it as.
_ORDER_COLUMNS = {
    "tier": (None, "queue_tier"),
    "registered_at": ("registered_at", "registered_at"),
    "lottery": ("lottery", "lottery"),
    "number": ("number", "number"),
}
_TEXT = {"number"}
ORDER_NAMES = tuple(_ORDER_COLUMNS[field][1] for field in ORDER)


def _order_select(alias: str, child: str, prefix: str, on: str = "%s") -> tuple[str, int]:
    """The child id (the column `child`) and the fields of `ORDER` of the key or
    record `alias` on the date `on`, each selected under its name with `prefix`,
    and how many date parameters the tier needs."""
    tier, uses = tier_sql(alias, on)
    parts = [f"{alias}.{child} AS {prefix}child_id"]
    for field in ORDER:
        column, name = _ORDER_COLUMNS[field]
        sql = tier if column is None else f"{alias}.{column}"
        parts.append(f"{_bytewise(sql) if field in _TEXT else sql} AS {prefix}{name}")
    return ", ".join(parts), uses


@dataclass(frozen=True)
class Membership:
    """The WHERE of a group's queue on a date over its keys `k` (see the module's
    docstring), with its parameters."""

    sql: str
    params: Params


def membership(*, group: GroupSpec, at: dt.date) -> Membership:
    first, last = group.ages.born_exactly(at)
    sql = f"k.kindergarten_id = %s AND k.born BETWEEN %s AND %s AND {standing_sql('k')}"
    params: Params = [group.kindergarten, first, last]
    if group.referral is not None:
        sql += f" AND {_in_force('k', referral_column(group.referral))}"
        params.append(at)
    return Membership(sql, params)


def queue_sql(
    *,
    group: GroupSpec,
    at: dt.date,
    columns: str,
    limit: int | None,
    joins: str = "",
    join_params: Params | None = None,
    offset: int = 0,
) -> tuple[str, Params]:
    """A statement that reads `group`'s queue on `at` in the rule's order (its first
    `limit` children after the first `offset`, or all): `columns` of the record `r`
    (and of any `joins` to it, a caller's own LEFT JOINs with their `join_params`),
    then the fields of
    `ORDER` (named `ORDER_NAMES` prefixed "q_"; the tier on `at` is `q_queue_tier`),
    last.

    The queue is found, ordered and cut from the keys' covering index alone; only
    the children it returns are looked up in the records."""
    order, uses = _order_select("k", "record_id", "q_")
    where = membership(group=group, at=at)
    names = ", ".join(f"q_{name}" for name in ORDER_NAMES)
    inner = (
        f"SELECT {order} FROM {{key}} k "  # noqa: S608
        f"WHERE {where.sql} ORDER BY {names}"
    )
    params: Params = [*[at] * uses, *where.params]
    if limit is not None:
        inner += " LIMIT %s"
        params.append(limit)
    if offset:
        inner += " OFFSET %s"
        params.append(offset)
    sql = (
        f"SELECT {columns}, {names} FROM ({inner}) q "  # noqa: S608
        f"JOIN {{record}} r ON r.child_id = q.q_child_id {joins} ORDER BY {names}"
    ).format(**tables())
    return sql, [*params, *(join_params or [])]


def positions_sql(
    *, child: int, queues: list[tuple[int, GroupSpec, dt.date]]
) -> tuple[str, Params]:
    """One statement that counts, in each of `queues` (tag, group, date), the
    children ahead of `child` (by `ORDER`) in each tier on that date, all of them,
    and whether `child` is one of them: rows (tag, tier, ahead, size, mine).

    The queues come in as a table of values (their kindergarten, exact birth dates,
    referral and date), each counted from the keys' covering index; the child's own
    place in the order comes from its own record, in the same SQL."""
    theirs, _ = _order_select("k", "record_id", "", on="q.at")
    mine, _ = _order_select("me", "child_id", "me_", on="q.at")
    me_names = ", ".join(f"me_{name}" for name in ORDER_NAMES)
    referral = " OR ".join(
        f"(q.referral = '{kind}' AND {_in_force('k', referral_column(kind), 'q.at')})"
        for kind in _REFERRAL_KINDS
    )
    rows = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(queues))
    params: Params = []
    for tag, group, at in queues:
        first, last = group.ages.born_exactly(at)
        params += [tag, group.kindergarten, first, last, at, group.referral or ""]
    sql = (
        f"WITH q (tag, kindergarten, first_born, last_born, at, referral) AS (VALUES {rows}) "  # noqa: S608
        f"SELECT tag, queue_tier, "
        f"SUM(CASE WHEN ({', '.join(ORDER_NAMES)}) < ({me_names}) THEN 1 ELSE 0 END), "
        f"COUNT(*), SUM(CASE WHEN child_id = me_child_id THEN 1 ELSE 0 END) "
        f"FROM (SELECT q.tag, {theirs}, {mine} FROM q "
        f"JOIN {{key}} k ON k.kindergarten_id = q.kindergarten "
        f"AND k.born BETWEEN q.first_born AND q.last_born "
        f"JOIN {{record}} me ON me.child_id = %s "
        f"WHERE {standing_sql('k')} AND (q.referral = '' OR {referral})) c "
        f"GROUP BY tag, queue_tier"
    ).format(**tables())
    return sql, [*params, child]
