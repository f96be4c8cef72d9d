import datetime as dt

import pytest

from tests.factories import GroupFactory, KindergartenFactory, child_of
from tests.factories_accounts import verified_parent as make_verified_parent

# Distinct names: children born the same day with similar names would be flagged
# as possible duplicates and leave the clean queue.
SURNAMES = (
    "Шевченко",
    "Бондар",
    "Ткачук",
    "Мельник",
    "Кравець",
    "Олійник",
    "Гуменюк",
    "Поліщук",
    "Лисенко",
    "Руденко",
    "Савчук",
    "Петрук",
    "Гончар",
    "Зайченко",
    "Мороз",
    "Литвин",
    "Приходько",
    "Карпенко",
    "Дорошенко",
    "Юрченко",
    "Білик",
    "Ярема",
    "Федорів",
    "Остапчук",
)
BORN = dt.date(2024, 6, 1)  # 29 months on 2026-11-27: the 24-36 month groups
NOW = dt.datetime(2026, 11, 27, 10, tzinfo=dt.UTC)


def verified_parent(n):
    return make_verified_parent(f"parent{n}@example.com", f"+380501{n:06d}")


@pytest.fixture
def queue_of():
    """Children registered one day apart, in that order, choosing `kindergartens`."""
    counter = iter(range(1, 10_000))

    def make(*kindergartens, count=1, born=BORN):
        children = []
        for _ in range(count):
            n = next(counter)
            children.append(
                child_of(
                    verified_parent(n),
                    born=born,
                    certificate=f"I-КВ {n:06d}",
                    last_name=SURNAMES[n % len(SURNAMES)],
                    first_name=("Марко", "Ірина", "Богдан", "Олеся")[n // len(SURNAMES) % 4],
                    registered_at=NOW - dt.timedelta(days=1000 - n),
                    kindergartens=kindergartens,
                )
            )
        return children

    return make


@pytest.fixture
def nursery():
    """A 24-36 month group of 15 with 10 children enrolled: 5 places may be declared."""
    from tests.factories import enroll

    group = GroupFactory(kindergarten=KindergartenFactory(), age_from_months=24, age_to_months=36)
    enroll(group, 10)
    return group
