"""Children as the allocation engine sees them (`sadok.allocation.Applicant`).

Read from the queue records (`records.py`): one query returns every applicant of
a set of kindergartens, with everything the queue rule needs. The September wave
reads the whole city (120,000 children) and the head's "+N" runs inside a web
request, so no model instances are built.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import DateTimeField, Func, Q, QuerySet, TextField
from django.db.models.functions import Cast

from sadok.allocation import Applicant, Tier
from sadok.allocation.queue import tier_on
from sadok.applications.models import Choice
from sadok.queue.models import QueueRecord
from sadok.queue.records import FIELDS, best_held

# born, registered_at, lottery, number, active, keep_waiting, verified, flagged and the
# lists (choices, privileges, referrals, held) — after the child's id.
Row = tuple[Any, ...]


def _chose(kindergartens: Iterable[int]) -> Q:
    return Q(
        child__in=Choice.objects.filter(kindergarten__in=list(kindergartens)).values("child_id")
    )


def records_of(*, kindergartens: Iterable[int] | None, where: Q | None = None) -> list[Row]:
    """The queue records of every child who chose one of `kindergartens` (None: the
    whole city), and meet `where` if given, as flat rows for `applicants_at`."""
    chose = Q() if kindergartens is None else _chose(kindergartens)
    return records_rows(QueueRecord.objects.filter(chose & where if where is not None else chose))


# The columns of a `Row`, in order: the child and its record's fields up to the lists.
ROW = ("child_id", *FIELDS[: FIELDS.index("lists") + 1])


class _Utc(Func):
    """A date-time column as UTC wall-clock time without a zone. psycopg reads such
    values in C; zoned ones go through Django's loader, in Python, which took 0.7 s
    of the September wave's 6 s. `rows_decoded` puts the zone back."""

    template = "(%(expressions)s AT TIME ZONE 'UTC')"
    output_field = DateTimeField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return compiler.compile(self.source_expressions[0])  # stored in UTC already


def records_rows(records: QuerySet[QueueRecord], *extra: str) -> list[Row]:
    """`records` as rows of `ROW` followed by the `extra` fields."""
    return rows_decoded(
        records.annotate(
            registered_utc=_Utc("registered_at"),
            lists_text=Cast("lists", output_field=TextField()),
        ).values_list(*ROW[:2], "registered_utc", *ROW[3:-1], "lists_text", *extra)
    )


def rows_decoded(rows: Iterable[Sequence[Any]]) -> list[Row]:
    """Rows of `ROW` (and any extra columns after it) as read: the lists as JSON text,
    decoded here in one call (decoding 120,000 small documents one by one costs more
    than reading them), the registration time in UTC, zoned or not."""
    rows = list(rows)
    at = len(ROW) - 1
    lists = json.loads("[" + ",".join(row[at] for row in rows) + "]")
    return [
        (row[0], row[1], _zoned(row[2]), *row[3:at], decoded, *row[at + 1 :])
        for row, decoded in zip(rows, lists, strict=True)
    ]


def _zoned(utc: dt.datetime) -> dt.datetime:
    return utc if utc.tzinfo is not None else utc.replace(tzinfo=dt.UTC)


_NONE: frozenset[str] = frozenset()


def _day(iso: str | None) -> dt.date | None:
    return dt.date.fromisoformat(iso) if iso else None


def _in_force(until: str | None, at: str) -> bool:
    return until is None or until >= at  # ISO dates compare as text


def applicants_at(rows: Sequence[Row], *, at: dt.date) -> list[Applicant]:
    """The applicants of `rows` at the reference date: a claim or a referral counts
    while it is in force (SPEC.md "Privileges")."""
    day = at.isoformat()
    applicants = []
    for (
        pk,
        born,
        registered_at,
        lottery,
        number,
        active,
        keep_waiting,
        verified,
        flagged,
        lists,
    ) in rows:
        # Most children have no privilege, referral or place: those lists are empty.
        choices = lists["choices"]
        privileges, referrals, held = lists["privileges"], lists["referrals"], lists["held"]
        tier = Tier.NONE
        if privileges:
            tier = tier_on(((t, _day(until)) for t, until in privileges), at=at)
        applicants.append(
            Applicant(
                id=pk,
                born=born,
                registered_at=registered_at,
                lottery=lottery,
                number=number,
                tier=tier,
                choices=tuple(choices),
                referrals=frozenset(kind for kind, until in referrals if _in_force(until, day))
                if referrals
                else _NONE,
                active=active,
                verified=verified,
                flagged=flagged,
                enrolled_in=best_held(held, choices) if held else None,
                keep_waiting=keep_waiting,
            )
        )
    return applicants


def applicants_for(*, kindergartens: Iterable[int] | None, at: dt.date) -> list[Applicant]:
    """Every registered child who chose one of `kindergartens` (None: the whole city)."""
    return applicants_at(records_of(kindergartens=kindergartens), at=at)
