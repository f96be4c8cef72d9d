"""The one place in Sadok that says what time it is.

Domain code asks this module, never `datetime.now()` or `timezone.now()`, so
that tests (with time-machine) and commands with `--at` can move time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from zoneinfo import ZoneInfo

from django.utils import timezone

KYIV = ZoneInfo("Europe/Kyiv")
_at: ContextVar[dt.datetime | None] = ContextVar("sadok_clock_at", default=None)


def now() -> dt.datetime:
    """The current moment, timezone-aware: real time, or the moment set by `at`."""
    moment = _at.get()
    return moment if moment is not None else timezone.now()


@contextmanager
def at(moment: dt.datetime) -> Iterator[None]:
    """Act as if it were `moment` (commands' `--at`, for replays and drills)."""
    if moment.tzinfo is None:
        raise ValueError("give a timezone-aware moment, e.g. 2026-12-07T23:59:59+02:00")
    token = _at.set(moment)
    try:
        yield
    finally:
        _at.reset(token)


def today() -> dt.date:
    """Today's date in Kyiv: a child's age and every deadline count Kyiv days."""
    return now().astimezone(KYIV).date()
