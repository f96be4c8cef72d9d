"""Ukrainian working days: weekends and the public holidays of the `holidays`
package's Ukrainian calendar (under martial law it lists no days off from 2022)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays


@lru_cache(maxsize=32)
def _holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("UA", years=year))


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The `days`-th working day after `start` (start itself does not count)."""
    day = start
    counted = 0
    while counted < days:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day
