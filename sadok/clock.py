"""The one place in Sadok that says what time it is.

Domain code asks this module, never `datetime.now()` or `timezone.now()`, so
that tests (with time-machine) and commands with `--at` can move time.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

KYIV = ZoneInfo("Europe/Kyiv")


def now() -> dt.datetime:
    """The current moment, timezone-aware (UTC)."""
    return timezone.now()


def today() -> dt.date:
    """Today's date in Kyiv: a child's age and every deadline count Kyiv days."""
    return now().astimezone(KYIV).date()
