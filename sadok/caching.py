"""Public answers kept for a short while (`SADOK_PUBLIC_CACHE_SECONDS`).

The map, a kindergarten's page, the statistics and a group's anonymised queue are
read by thousands of parents and change with each offer, not each second (a family
signed in always sees its pages computed). Two layers:

- `public_page`: a public page's whole answer to a visitor with no session (no
  session or messages cookie: nothing on the page is theirs), kept by path, query
  and language in the database for every server process (the "pages" cache) and
  in each process's memory (the "public" cache: a page computed by one process is
  read from the database by the others once, then from their memory until the same
  moment), and served again as a fresh response. A page that carries a per-request
  value (a CSRF token, a CSP nonce, a cookie) is never kept.
- `shared`: a value computed once for every process (the statistics' tables), in
  the shared cache, so that no visitor's request waits for the aggregates over the
  whole city more than once a period.

`SADOK_PUBLIC_CACHE_SECONDS = 0` turns both off (the test suite does).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache, caches
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

T = TypeVar("T")
View = Callable[..., HttpResponse]

# Headers a kept answer is served with again (others are the middleware's, per request).
_KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Cache-Control", "Content-Language")


def _seconds() -> int:
    return int(settings.SADOK_PUBLIC_CACHE_SECONDS)


def _visitor(request: HttpRequest) -> bool:
    """A visitor with nothing of their own on the page: no session, no message."""
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def public_page(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        seconds = _seconds()
        if seconds <= 0 or request.method not in ("GET", "HEAD") or not _visitor(request):
            return view(request, *args, **kwargs)
        key = f"sadok:page:{get_language()}:{request.get_full_path()}"
        kept = _kept(key)
        if kept is not None:
            _until, status, headers, content = kept
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            return response
        response = view(request, *args, **kwargs)
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not getattr(request, "_csp_nonce", None)
        ):
            headers = [(h, response[h]) for h in _KEPT_HEADERS if response.has_header(h)]
            kept = (time.time() + seconds, response.status_code, headers, response.content)
            caches["public"].set(key, kept, seconds)
            caches["pages"].set(key, kept, seconds)
        return response

    return wrapper


def _kept(key: str) -> tuple[float, int, list[tuple[str, str]], bytes] | None:
    """A kept page: from this process's memory, else from the "pages" cache (another
    process computed it; kept here too until the same moment)."""
    local = caches["public"]
    kept = local.get(key)
    if kept is None:
        kept = caches["pages"].get(key)
        if kept is None or (left := kept[0] - time.time()) <= 0:
            return None
        local.set(key, kept, left)
    return kept


def shared(key: str, compute: Callable[[], T]) -> T:
    """`compute()`, kept in the shared cache under `key` for the setting's seconds."""
    seconds = _seconds()
    if seconds <= 0:
        return compute()
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, seconds)
    return found
