"""The public log as open data: its entries in order, each with its hashes, and its
head (`docs/open-data.md`)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema

from sadok.journal.log import log_head, log_rows
from sadok.opendata.answers import (
    ERRORS,
    Limit,
    documented,
    respond,
)

router = Router()


class LogHeadOut(Schema):
    """Where the public log stands: save it, and check later that the log extends it."""

    seq: int
    hash: str


class LogEntryOut(Schema):
    seq: int
    at: str
    kind: str
    actor_role: str
    application_number: str
    kindergarten_id: int | None
    group_id: int | None
    place_id: int | None
    offer_id: int | None
    reason: str
    data: dict[str, Any]
    prev: str
    hash: str


class LogPage(Schema):
    head: LogHeadOut
    after: int
    limit: int
    items: list[LogEntryOut]


@router.get(
    "/log/head",
    response={200: LogHeadOut, **ERRORS},
    openapi_extra=documented(csv_too=False),
    summary="The public log's head: its last entry's number and hash",
)
def log_head_view(request: HttpRequest) -> HttpResponse:
    head = log_head()
    return respond(request, LogHeadOut(seq=head.seq, hash=head.hash))


@router.get(
    "/log",
    response={200: LogPage, **ERRORS},
    openapi_extra=documented(csv_too=False),
    summary="The public log's entries after `after`, in order, each with its hash",
)
def log_view(
    request: HttpRequest,
    after: int = Query(
        0, ge=0, le=2**62, description="the last entry you have (0: from the first)"
    ),
    limit: int = Limit,
) -> HttpResponse:
    head = log_head()
    items = [LogEntryOut(**row) for row in log_rows(after=after, limit=limit)]
    page = LogPage(
        head=LogHeadOut(seq=head.seq, hash=head.hash), after=after, limit=limit, items=items
    )
    return respond(request, page)
