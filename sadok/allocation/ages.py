"""A child's age in whole months, and whether it falls in a group's age range.

SPEC.md "The queue": a child belongs to the queue of a group whose age range
holds its age *at the moment*. Ages count whole months the way Ukrainian civil
law counts terms in months (Civil Code art. 253-254): a month has passed on the
same day number of the next month, or on that month's last day when it has no
such day (born 31 January -> one month old on 28 or 29 February).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass


def age_in_months(*, born: dt.date, at: dt.date) -> int:
    """Whole months from `born` to `at`; -1 when the child is not yet born at `at`."""
    if at < born:
        return -1
    months = (at.year - born.year) * 12 + (at.month - born.month)
    last_day = calendar.monthrange(at.year, at.month)[1]
    reached_day = at.day >= born.day or at.day == last_day
    return months if reached_day else months - 1


@dataclass(frozen=True, slots=True)
class AgeRange:
    """Ages from `from_months` (inclusive) up to `to_months` (exclusive).

    "від 2 до 3 років" is AgeRange(24, 36): a child is in it from its second
    birthday until the day before its third.
    """

    from_months: int
    to_months: int

    def __post_init__(self) -> None:
        if not 0 <= self.from_months < self.to_months:
            raise ValueError(f"invalid age range {self.from_months}..{self.to_months}")

    def holds(self, months: int) -> bool:
        return self.from_months <= months < self.to_months

    def holds_child(self, *, born: dt.date, at: dt.date) -> bool:
        return self.holds(age_in_months(born=born, at=at))

    def born_between(self, at: dt.date) -> tuple[dt.date, dt.date]:
        """Birth dates, first and last, that can be in the range at `at`: a superset
        by a few days (the month-end rule of `age_in_months`) for a database to
        narrow a queue with; `holds_child` decides exactly."""
        margin = dt.timedelta(days=3)
        return (
            _months_before(at, self.to_months) - margin,
            _months_before(at, self.from_months) + margin,
        )

    def born_exactly(self, at: dt.date) -> tuple[dt.date, dt.date]:
        """The first and last birth dates of children in the range at `at`, exactly:
        age in months only falls as the birth date moves later, so they form one
        interval, found by narrowing `born_between`'s margin day by day."""
        first, last = self.born_between(at)
        while not self.holds_child(born=first, at=at):
            first += dt.timedelta(days=1)
        while not self.holds_child(born=last, at=at):
            last -= dt.timedelta(days=1)
        return first, last


def born_with_age(months: int, at: dt.date) -> dt.date:
    """A birth date whose age in whole months on `at` is `months` (a replay knows a
    child's age, not its birth date)."""
    born = _months_before(at, months)
    while age_in_months(born=born, at=at) < months:
        born -= dt.timedelta(days=1)
    while age_in_months(born=born, at=at) > months:
        born += dt.timedelta(days=1)
    return born


def _months_before(day: dt.date, months: int) -> dt.date:
    """The same day number `months` earlier, or that month's last day."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))
