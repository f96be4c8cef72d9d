import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sadok.allocation.ages import AgeRange, age_in_months


@pytest.mark.parametrize(
    ("born", "at", "months"),
    [
        (dt.date(2024, 11, 27), dt.date(2026, 11, 27), 24),  # turns 24 months today
        (dt.date(2024, 11, 27), dt.date(2026, 11, 26), 23),  # the day before
        (dt.date(2025, 1, 31), dt.date(2025, 2, 28), 1),  # no 31 February: last day counts
        (dt.date(2024, 1, 31), dt.date(2024, 2, 29), 1),  # leap year
        (dt.date(2024, 1, 31), dt.date(2024, 2, 28), 0),
        (dt.date(2024, 2, 29), dt.date(2025, 2, 28), 12),
        (dt.date(2024, 3, 31), dt.date(2024, 4, 30), 1),
        (dt.date(2026, 11, 27), dt.date(2026, 11, 27), 0),  # born today
        (dt.date(2026, 11, 28), dt.date(2026, 11, 27), -1),  # not born yet
    ],
)
def test_age_in_whole_months(born, at, months):
    assert age_in_months(born=born, at=at) == months


@given(born=st.dates(dt.date(2000, 1, 1), dt.date(2030, 1, 1)), days=st.integers(0, 4000))
def test_age_never_decreases_as_time_passes(born, days):
    at = born + dt.timedelta(days=days)
    assert age_in_months(born=born, at=at) <= age_in_months(born=born, at=at + dt.timedelta(1))
    assert 0 <= age_in_months(born=born, at=at) <= days // 28 + 1


def test_a_child_who_turns_two_today_leaves_the_one_to_two_group_and_joins_the_next():
    born, today = dt.date(2024, 11, 27), dt.date(2026, 11, 27)
    assert not AgeRange(12, 24).holds_child(born=born, at=today)
    assert AgeRange(24, 36).holds_child(born=born, at=today)
    assert AgeRange(12, 24).holds_child(born=born, at=today - dt.timedelta(days=1))


def test_an_age_range_must_be_ordered():
    with pytest.raises(ValueError, match="invalid age range"):
        AgeRange(36, 24)
