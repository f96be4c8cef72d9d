"""The public statistics page and each table's CSV and JSON download."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from sadok import clock
from sadok.accounts.access import Access, access
from sadok.caching import public_page
from sadok.journal.log import log_head
from sadok.replica import replica_reads
from sadok.statistics.common import districts
from sadok.statistics.tables import FILTERABLE, Table, statistics_table, statistics_tables

# Kindergartens per page of the kindergartens' table (the city has some 600).
KINDERGARTENS_PER_PAGE = 50
# The figures change with each offer, not each second: a few minutes' cache is fine.
CACHE_SECONDS = 300


def _chart(table: Table) -> dict[str, object] | None:
    """What the page's script draws, from the table itself (json_script, no inline JS)."""
    if table.chart is None or not table.rows:
        return None
    keys = [c.key for c in table.columns]
    labels_at = keys.index(table.chart.labels) if table.chart.labels else None
    return {
        "type": table.chart.type,
        "stacked": table.chart.stacked,
        "labels": [
            str(row[labels_at]) if labels_at is not None else " · ".join(map(str, row[:2]))
            for row in table.rows
        ],
        "series": [
            {
                "label": str(table.columns[keys.index(key)].label),
                "data": [row[keys.index(key)] for row in table.rows],
            }
            for key in table.chart.series
        ],
    }


@require_GET
@access(Access.PUBLIC)
@public_page
@replica_reads
def statistics(request: HttpRequest) -> HttpResponse:
    """Every statistic as a table (a chart above it where one helps), with downloads."""
    shared: dict[str, Any] = {}
    all_districts = districts(shared)
    district = request.GET.get("district", "")
    if district not in {d.slug for d in all_districts}:
        district = ""
    tables = statistics_tables(today=clock.today(), district=district, shared=shared)
    sections: list[dict[str, Any]] = []
    for table in tables:
        filtered = table.slug in FILTERABLE
        section: dict[str, object] = {
            "table": table,
            "chart": _chart(table),
            "filtered": filtered,
            # The district form goes above the first table it narrows.
            "form_above": filtered and not any(s["filtered"] for s in sections),
            "query": f"?district={district}" if district and filtered else "",
        }
        rows = table.rows
        if table.slug == "kindergartens":
            page = Paginator(table.rows, KINDERGARTENS_PER_PAGE).get_page(request.GET.get("page"))
            section["page"], rows = page, list(page.object_list)
        # Each cell with its column's kind: text to the left, numbers to the right.
        kinds = [str(c.kind) for c in table.columns]
        section["rows"] = [list(zip(row, kinds, strict=True)) for row in rows]
        sections.append(section)
    return render(
        request,
        "statistics/index.html",
        {
            "sections": sections,
            "districts": all_districts,
            "district": district,
            "district_name": next(
                (d.display_name for d in all_districts if d.slug == district), ""
            ),
            "today": clock.today(),
            "log_head": log_head(),
        },
    )


@require_GET
@access(Access.PUBLIC)
@public_page
@replica_reads
def download(request: HttpRequest, slug: str, format: str) -> HttpResponse:
    """One table as CSV or JSON: exactly its columns and rows (the district filter of
    the page applies to the tables it narrows)."""
    table = statistics_table(slug, today=clock.today(), district=request.GET.get("district", ""))
    if table is None or format not in ("csv", "json"):
        raise Http404("No such statistic.")
    if format == "csv":
        # A byte-order mark so that spreadsheet programs read the Cyrillic as UTF-8.
        response = HttpResponse("\ufeff" + table.as_csv(), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(table.as_json(), content_type="application/json; charset=utf-8")
    suffix = f"-{table.filters['district']}" if table.filters.get("district") else ""
    name = f"sadok-{table.slug}{suffix}-{clock.today().isoformat()}.{format}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response
