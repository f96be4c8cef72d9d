"""Deadlines of the offer cycle (SPEC.md "Group formation", steps 4 and 6).

Every length is a setting; a day ends at 23:59:59 Kyiv time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings

from sadok import clock


def end_of_kyiv_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=clock.KYIV)


# The reminder goes out in the morning, not at midnight.
REMINDER_HOUR = dt.time(9, 0)


@dataclass(frozen=True)
class CurrentRules:
    answer_days: int
    reminder_days: int
    documents_working_days: int
    extension_working_days: int


def rules_current() -> CurrentRules:
    """The rules in force: the administrator's row, or the settings' defaults."""
    from sadok.offers.models import Rules

    row = Rules.objects.order_by("pk").first()
    if row is None:
        return CurrentRules(
            settings.SADOK_OFFER_ANSWER_DAYS,
            settings.SADOK_OFFER_REMINDER_DAYS,
            settings.SADOK_DOCUMENTS_WORKING_DAYS,
            settings.SADOK_DOCUMENTS_EXTENSION_WORKING_DAYS,
        )
    return CurrentRules(
        row.answer_days, row.reminder_days, row.documents_working_days, row.extension_working_days
    )


def answer_by(*, made_at: dt.datetime, rules: CurrentRules) -> dt.datetime:
    """The parent answers by the end of the N-th calendar day after the offer (N = 10)."""
    made_on = made_at.astimezone(clock.KYIV).date()
    return end_of_kyiv_day(made_on + dt.timedelta(days=rules.answer_days))


def remind_at(*, answer_by: dt.datetime, rules: CurrentRules) -> dt.datetime:
    """The morning of the day `reminder_days` (3) before the last day to answer."""
    last_day = answer_by.astimezone(clock.KYIV).date()
    return dt.datetime.combine(
        last_day - dt.timedelta(days=rules.reminder_days), REMINDER_HOUR, tzinfo=clock.KYIV
    )


def documents_by(*, start: dt.datetime, working_days: int) -> dt.datetime:
    """The end of the N-th Ukrainian working day after `start` (N = 5)."""
    from sadok.offers.calendar import add_working_days

    return end_of_kyiv_day(add_working_days(start.astimezone(clock.KYIV).date(), working_days))
