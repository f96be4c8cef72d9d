"""A statistic as plain data: a titled table of typed columns and rows.

The pages render these, the downloads serialise exactly their columns and rows,
and an API above this app can call the same functions (`statistics_tables`,
`statistics_table`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.utils.functional import Promise

from sadok import caching


class Kind(StrEnum):
    """What a column holds, for an API's schema and a spreadsheet's formats."""

    TEXT = "text"
    INTEGER = "integer"
    NUMBER = "number"  # days, possibly fractional (quartiles)
    DATE = "date"
    MONTH = "month"  # "YYYY-MM"


@dataclass(frozen=True)
class Column:
    key: str
    label: str | Promise
    kind: Kind = Kind.INTEGER


@dataclass(frozen=True)
class Chart:
    """How the page draws a table: `type` of Chart.js ("bar", "line"), the column
    whose values label the x axis, and the columns drawn as series."""

    type: str
    labels: str
    series: tuple[str, ...]
    stacked: bool = False


@dataclass(frozen=True)
class Table:
    slug: str
    title: str | Promise
    columns: list[Column]
    rows: list[tuple[Any, ...]]
    # What it means and how it is counted, in a sentence a parent reads.
    note: str | Promise = ""
    chart: Chart | None = None
    # Filters the table was built with (e.g. {"district": "obolonskyi"}).
    filters: dict[str, str] = field(default_factory=dict)

    def records(self) -> list[dict[str, Any]]:
        """The rows as {column key: value}, JSON-ready (dates as ISO text)."""
        return [
            {c.key: _plain(value) for c, value in zip(self.columns, row, strict=True)}
            for row in self.rows
        ]

    def as_json(self) -> str:
        document = {
            "slug": self.slug,
            "title": str(self.title),
            "filters": self.filters,
            "columns": [
                {"key": c.key, "label": str(c.label), "kind": str(c.kind)} for c in self.columns
            ],
            "rows": self.records(),
        }
        return json.dumps(document, ensure_ascii=False, indent=1)

    def as_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([str(c.label) for c in self.columns])
        for record in self.records():
            writer.writerow(["" if v is None else v for v in record.values()])
        return out.getvalue()


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, float):
        return round(value, 1)
    return value


# Each statistic's function, by slug, in the order the page shows them. Each takes
# `today`, a district's slug (empty: the whole city; the city-wide tables ignore
# it) and `shared`, a dict in which tables built together share what they read.
Builder = Callable[..., Table]

_SLUG = re.compile(r"[-a-z0-9]{0,50}")

# The tables a district narrows (the others are city-wide by construction).
FILTERABLE = frozenset({"places-by-group-kind", "kindergartens", "undeclared-room"})


def _builders() -> dict[str, Builder]:
    from sadok.statistics import outcomes, places, waiting

    return {
        "queue-by-district": waiting.queue_by_district,
        "queue-by-birth-year": waiting.queue_by_birth_year,
        "queue-by-tier": waiting.queue_by_tier,
        "offers-by-month": outcomes.offers_by_month,
        "wait-to-offer": outcomes.wait_to_offer,
        "places-by-district": places.places_by_district,
        "places-by-group-kind": places.places_by_group_kind,
        "undeclared-room": places.undeclared_room,
        "kindergartens": places.kindergartens_table,
    }


def statistics_slugs() -> tuple[str, ...]:
    return tuple(_builders())


def statistics_table(
    slug: str, *, today: dt.date, district: str = "", shared: dict[str, Any] | None = None
) -> Table | None:
    """One statistic by its slug (None: no such statistic)."""
    builder = _builders().get(slug)
    if builder is None:
        return None
    reads = {} if shared is None else shared

    def build() -> Table:
        return builder(today=today, district=district, shared=reads)

    if not _SLUG.fullmatch(district):
        return build()  # no such district: nothing worth keeping
    return caching.shared(f"sadok:statistic:{slug}:{today.isoformat()}:{district}", build)


def statistics_tables(
    *, today: dt.date, district: str = "", shared: dict[str, Any] | None = None
) -> list[Table]:
    """Every statistic, in the page's order: a fixed number of queries, whatever the
    city's size."""
    shared = {} if shared is None else shared
    return [
        table
        for slug in statistics_slugs()
        if (table := statistics_table(slug, today=today, district=district, shared=shared))
        is not None
    ]
