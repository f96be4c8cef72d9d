"""What every answer of the open data API shares (`api.py`): the error bodies and
the query parameters, the schema's extra responses, and the one way an answer is
written — JSON, or a page's items as CSV — cacheable by anyone for
`SADOK_API_CACHE_SECONDS`, with an ETag of its body (a matching `If-None-Match`:
304)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Sequence
from typing import Any, Literal

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from ninja import Query, Schema
from pydantic import BaseModel

# The largest integer a query may name (a PostgreSQL `integer`): above it, 422.
MAX_ID = 2**31 - 1

Format = Literal["json", "csv"]


class ErrorOut(Schema):
    detail: str


class ValidationErrorOut(Schema):
    """Which parameter is wrong and why: each error's `loc` names it."""

    detail: list[dict[str, Any]]


class ThrottledOut(Schema):
    detail: str
    limit: str
    retry_after: int | None


ERRORS: dict[int, Any] = {400: ErrorOut, 422: ValidationErrorOut, 429: ThrottledOut}

HEADERS = {
    "Cache-Control": {"schema": {"type": "string"}, "description": "public, max-age=<seconds>"},
    "ETag": {"schema": {"type": "string"}},
}

RETRY = {"Retry-After": {"schema": {"type": "integer"}, "description": "seconds to wait"}}


def documented(*, csv_too: bool) -> dict[str, Any]:
    """What the schema says beyond the models: the CSV form of a page, the cache
    headers, a 304 to a matching `If-None-Match`, `Retry-After` on a 429."""
    ok: dict[str, Any] = {"headers": HEADERS}
    if csv_too:
        ok["content"] = {"text/csv": {"schema": {"type": "string"}}}
    return {
        "responses": {
            200: ok,
            304: {"description": "Not modified (the ETag matched)", "headers": HEADERS},
            429: {"headers": RETRY},
        }
    }


def flat(item: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """A JSON item as one CSV row: a nested object's fields as `outer_inner`
    columns, a list as its JSON text."""
    row: dict[str, Any] = {}
    for key, value in item.items():
        if isinstance(value, dict):
            row.update(flat(value, f"{prefix}{key}_"))
        elif isinstance(value, list):
            row[f"{prefix}{key}"] = json.dumps(value, ensure_ascii=False)
        else:
            row[f"{prefix}{key}"] = value
    return row


def csv_rows(items: Sequence[dict[str, Any]], columns: Sequence[str]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(flat(item) for item in items)
    return out.getvalue().encode("utf-8")


def respond(
    request: HttpRequest,
    page: BaseModel,
    fmt: Format = "json",
    item: type[BaseModel] | None = None,
) -> HttpResponse:
    """The page as JSON, or its items (each an `item`) as CSV."""
    data = page.model_dump(mode="json")
    if fmt == "csv" and item is not None:
        columns = list(flat(example(item)).keys())
        return cacheable(request, csv_rows(data["items"], columns), "text/csv")
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    return cacheable(request, body, "application/json")


def cacheable(request: HttpRequest, body: bytes, content_type: str) -> HttpResponse:
    """`body`, cacheable by anyone for the setting's seconds, with an ETag of the body
    (a matching `If-None-Match`: 304)."""
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    if content_type == "text/csv":
        response["Content-Disposition"] = 'inline; filename="sadok.csv"'
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=settings.SADOK_API_CACHE_SECONDS)
    not_modified = get_conditional_response(request, etag=etag, response=response)
    if not_modified is not response and not_modified is not None:
        not_modified["ETag"] = etag
        patch_cache_control(not_modified, public=True, max_age=settings.SADOK_API_CACHE_SECONDS)
        return not_modified
    return response


def example(model: type[BaseModel]) -> dict[str, Any]:
    """The columns of a CSV row come from the model, not from the rows, so that an
    empty page still has its header: a nested object's fields, a list as one."""
    shape: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            shape[name] = example(annotation)
        else:
            shape[name] = None
    return shape


Limit = Query(settings.SADOK_API_PAGE_SIZE, ge=1, le=settings.SADOK_API_PAGE_MAX)

Offset = Query(0, ge=0, le=MAX_ID)

DistrictQuery = Query(
    "", max_length=50, pattern=r"^[-a-zA-Z0-9_]*$", description="a district's slug (/api/districts)"
)

NumberQuery = Query(None, ge=1, le=MAX_ID, description="a kindergarten's number")

KindQuery = Query(None, description="only groups of this kind")

FormatQuery = Query("json", alias="format", description="json (default) or csv")
