"""Deadlines of the offer cycle (SPEC.md "Group formation", steps 4 and 6).

Every length is a setting; a day ends at 23:59:59 Kyiv time.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from sadok import clock


def end_of_kyiv_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=clock.KYIV)


def answer_by(*, made_at: dt.datetime) -> dt.datetime:
    """The parent answers by the end of the tenth calendar day after the offer."""
    made_on = made_at.astimezone(clock.KYIV).date()
    return end_of_kyiv_day(made_on + dt.timedelta(days=settings.SADOK_OFFER_ANSWER_DAYS))
