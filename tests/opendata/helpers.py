"""Children waiting in one group's queue, registered through the service."""

import datetime as dt

from tests.factories import child_of as _child_of
from tests.factories import claim_of
from tests.factories_accounts import verified_parent

TODAY = dt.datetime(2026, 11, 27, 10, tzinfo=dt.UTC)
BORN = dt.date(2024, 6, 1)


SURNAMES = ["Бондар", "Коваль", "Мельник", "Ткач", "Шевчук", "Гнатюк", "Кравець", "Лисенко"]
NAMES = ["Марко", "Олена", "Тарас", "Ірина", "Богдан", "Софія", "Назар", "Дарина"]


def waiting(n, *, kindergarten, days_ago=None, last_name=None, first_name=None):
    """Child `n` (its own name and birthday in June–July 2024, so that no two look
    like duplicates), registered `days_ago` days ago (default: n hours
    before today's morning, so that the order is by n, earliest first)."""
    registered = (
        TODAY - dt.timedelta(days=days_ago)
        if days_ago is not None
        else TODAY - dt.timedelta(days=400) + dt.timedelta(hours=n)
    )
    return _child_of(
        verified_parent(f"parent{n}@example.com", f"+38050{n:07d}"),
        born=BORN + dt.timedelta(days=n % 60),
        certificate=f"I-КВ {n:06d}",
        registered_at=registered,
        kindergartens=[kindergarten],
        last_name=last_name or f"{SURNAMES[n % 8]}-{SURNAMES[n // 8 % 8]}",
        first_name=first_name or NAMES[n // 64 % 8],
    )


def privileged(child, code="idp"):
    claim_of(child, code=code, submitted_at=TODAY)
