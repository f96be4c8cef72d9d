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


@given(
    born=st.dates(dt.date(2015, 1, 1), dt.date(2030, 12, 31)),
    at=st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)),
    low=st.integers(0, 90),
    width=st.integers(1, 24),
)
def test_every_child_in_an_age_range_is_born_inside_its_window(born, at, low, width):
    """The database narrows a queue by birth date: it must never drop a child in range,
    and keeps out all but a few days' worth of children outside it."""
    ages = AgeRange(low, low + width)
    earliest, latest = ages.born_between(at)
    if ages.holds_child(born=born, at=at):
        assert earliest <= born <= latest
    elif earliest <= born <= latest:
        near = [born + dt.timedelta(days=d) for d in range(-7, 8)]
        assert any(ages.holds_child(born=b, at=at) for b in near)


@given(at=st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)), low=st.integers(0, 90))
def test_the_window_edges_hold_children_of_the_range(at, low):
    ages = AgeRange(low, low + 12)
    earliest, latest = ages.born_between(at)
    inside = [earliest + dt.timedelta(days=d) for d in range((latest - earliest).days + 1)]
    held = [b for b in inside if ages.holds_child(born=b, at=at)]
    assert held
    assert held[0] - earliest <= dt.timedelta(days=7)
    assert latest - held[-1] <= dt.timedelta(days=7)


@given(
    born=st.dates(dt.date(2015, 1, 1), dt.date(2030, 12, 31)),
    at=st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)),
    low=st.integers(0, 90),
    width=st.integers(1, 24),
)
def test_a_child_is_in_the_range_exactly_when_born_between_its_exact_dates(born, at, low, width):
    """The database finds a queue by these dates alone (`queue.rule`): no child in the
    range is left out, and no child outside it comes in."""
    ages = AgeRange(low, low + width)
    first, last = ages.born_exactly(at)
    assert ages.holds_child(born=born, at=at) == (first <= born <= last)


@given(at=st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)), months=st.integers(0, 96))
def test_a_birth_date_made_up_for_an_age_has_that_age(at, months):
    from sadok.allocation.ages import born_with_age

    assert age_in_months(born=born_with_age(months, at), at=at) == months
