"""The open data API (SPEC.md "Open statistics"): django-ninja, public, read-only.

Every list is a page (`limit`, `offset`, and the `count` of all rows), in JSON by
default or, with `?format=csv`, the same page's `items` as CSV rows. Answers carry
`Cache-Control: public` for `SADOK_API_CACHE_SECONDS` and an ETag (a repeated
request with `If-None-Match` gets 304); each client address may make
`SADOK_API_RATE` requests (429 with `Retry-After` past it). No personal data: a
queue row is a position, an opaque application number, a birth year, a day of
registration and a tier. docs/open-data.md explains each endpoint.
"""

from __future__ import annotations

import math

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import Throttled
from ninja.openapi.docs import Swagger
from ninja.throttling import AnonRateThrottle

from sadok.opendata import directory_api, log_api, queue_api, statistics_api


class ClientRateThrottle(AnonRateThrottle):
    """`SADOK_API_RATE` requests per client address (behind `NINJA_NUM_PROXIES`
    proxies, as the login's limits count them), read on each request."""

    def __init__(self) -> None:
        super().__init__(rate=settings.SADOK_API_RATE)

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = settings.SADOK_API_RATE
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)


api = NinjaAPI(
    title="Sadok open data",
    version="1",
    description=(
        "Kyiv's kindergartens, their groups, the anonymised queues and the statistics, as open "
        "data. "
        "JSON by default, CSV with `?format=csv`."
    ),
    urls_namespace="api",
    docs=Swagger(settings={"defaultModelsExpandDepth": 0}),
    docs_url="/docs",
    openapi_url="/openapi.json",
    throttle=[ClientRateThrottle()],
)


@api.exception_handler(Throttled)
def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    wait = math.ceil(exc.wait) if exc.wait is not None else None
    body = {
        "detail": _("Забагато запитів: зачекайте й повторіть."),
        "limit": settings.SADOK_API_RATE,
        "retry_after": wait,
    }
    return api.create_response(request, body, status=429)


# Each noun's operations (their paths are the API's, under /api/).
for _router in (
    directory_api.router,
    queue_api.router,
    statistics_api.router,
    log_api.router,
):
    api.add_router("", _router)
