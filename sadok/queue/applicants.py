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

from sadok.allocation import Applicant
from sadok.allocation.applicants import applicant_from
from sadok.applications.models import Choice
from sadok.queue.models import QueueRecord
from sadok.queue.records import FIELDS

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


def applicants_at(rows: Sequence[Row], *, at: dt.date) -> list[Applicant]:
    """The applicants of `rows` at the reference date (`applicant_from`)."""
    day = at.isoformat()
    return [applicant_from(*row, at=at, day=day) for row in rows]


def applicants_for(*, kindergartens: Iterable[int] | None, at: dt.date) -> list[Applicant]:
    """Every registered child who chose one of `kindergartens` (None: the whole city)."""
    return applicants_at(records_of(kindergartens=kindergartens), at=at)
