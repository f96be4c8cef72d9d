"""The statistics of /stats/ as open data: each table's columns and rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Path, Router, Schema, Status

from sadok import clock
from sadok.opendata.answers import (
    ERRORS,
    DistrictQuery,
    ErrorOut,
    Format,
    FormatQuery,
    cacheable,
    csv_rows,
    documented,
    respond,
)
from sadok.statistics.tables import Table, statistics_table, statistics_tables

router = Router()


class ColumnOut(Schema):
    key: str
    label: str
    kind: str


class StatisticOut(Schema):
    """One statistic of the statistics page, exactly as its table shows it."""

    slug: str
    title: str
    date: dt.date
    filters: dict[str, str]
    columns: list[ColumnOut]
    rows: list[dict[str, Any]]


class StatisticsOut(Schema):
    date: dt.date
    items: list[StatisticOut]


SlugPath = Path(..., max_length=40, pattern=r"^[a-z-]+$")


def _statistic_out(table: Table, today: dt.date) -> StatisticOut:
    return StatisticOut(
        slug=table.slug,
        title=str(table.title),
        date=today,
        filters=table.filters,
        columns=[ColumnOut(key=c.key, label=str(c.label), kind=str(c.kind)) for c in table.columns],
        rows=table.records(),
    )


@router.get(
    "/statistics",
    response={200: StatisticsOut, **ERRORS},
    openapi_extra=documented(csv_too=False),
    summary="Every statistic of /stats/, each with its columns and rows",
)
def statistics(request: HttpRequest, district: str = DistrictQuery) -> HttpResponse:
    today = clock.today()
    tables = statistics_tables(today=today, district=district)
    out = StatisticsOut(date=today, items=[_statistic_out(t, today) for t in tables])
    return respond(request, out)


@router.get(
    "/statistics/{slug}",
    response={200: StatisticOut, 404: ErrorOut, **ERRORS},
    openapi_extra=documented(csv_too=True),
    summary="One statistic (a slug of /api/statistics); CSV: its rows, keyed by column",
)
def statistic(
    request: HttpRequest,
    slug: str = SlugPath,
    district: str = DistrictQuery,
    fmt: Format = FormatQuery,
) -> HttpResponse | Status[ErrorOut]:
    today = clock.today()
    table = statistics_table(slug, today=today, district=district)
    if table is None:
        return Status(404, ErrorOut(detail=_("Такої статистики немає.")))
    out = _statistic_out(table, today)
    if fmt == "csv":
        return cacheable(request, csv_rows(out.rows, [c.key for c in out.columns]), "text/csv")
    return respond(request, out)
