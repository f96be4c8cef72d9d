"""The database's queues and positions against the pure core's, on random cities.

The SQL of `sadok.queue.rule` is built from the core's definitions (`ORDER`,
`STANDING`, `tier_on`); this test is what makes "built from" mean "the same": on
random records with tied registration times, tied lottery numbers, lapsed and
future claims and referrals, records out of good standing, and children with a
place who keep (or do not keep) waiting, every group's queue on several dates is
read by the database and computed by `sadok.allocation.group_queue` over the whole
city, and so is every child's position.

The records are written directly (this is about the rule over records, not about
keeping them: `test_records.py` does that), from lists through the same functions
that file them, and removed at the end.
"""

from __future__ import annotations

import datetime as dt
import os
import random
from typing import Any

import pytest

from sadok.allocation import group_queue, position
from sadok.applications.models import Child
from sadok.kindergartens.models import ReferralKind
from sadok.queue.applicants import applicants_at, records_rows
from sadok.queue.models import QueueKey, QueueRecord
from sadok.queue.records import KEY_FIELDS, _keys, _referrals_until, _tiers_until
from sadok.queue.selectors import group_spec, positions_of, queue_length, queue_read
from tests.factories import GroupFactory, KindergartenFactory, SpecialisationFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 1)
DATES = (TODAY, dt.date(2027, 2, 28), dt.date(2027, 9, 1))
# More cities under `make fuzz` (SADOK_FUZZ=1).
SEEDS = range(400 if os.environ.get("SADOK_FUZZ") else 12)


def _until(rnd: random.Random) -> str | None:
    """No end, or a last day before, between or after the dates read."""
    choice = rnd.choice([None, TODAY - dt.timedelta(days=1), TODAY, dt.date(2027, 3, 1)])
    return choice.isoformat() if choice else None


def _city(seed: int) -> list[Any]:
    rnd = random.Random(seed)
    kindergartens: list[Any] = [KindergartenFactory() for _ in range(3)]
    specialisations = {
        kind: SpecialisationFactory(slug=f"s-{kind}", referral=kind) for kind in ReferralKind.values
    }
    groups = []
    for kindergarten in kindergartens:
        for low, high in rnd.sample([(12, 24), (24, 36), (36, 48), (24, 48), (48, 84)], 3):
            special = rnd.random() < 0.3
            groups.append(
                GroupFactory(
                    kindergarten=kindergarten,
                    age_from_months=low,
                    age_to_months=high,
                    specialisation=specialisations[rnd.choice(ReferralKind.values)]
                    if special
                    else None,
                )
            )
    moments = [dt.datetime(2025, 3, d, 9, tzinfo=dt.UTC) for d in (1, 2)]
    children = Child.objects.bulk_create(
        Child(
            last_name="Тест",
            first_name="Дитина",
            born=TODAY - dt.timedelta(days=rnd.randrange(200, 2400)),
            certificate_key=f"seed{seed}-{n}",
            certificate_display=f"seed{seed}-{n}",
            # Numbers unrelated to the ids, in characters whose order differs
            # between locales ("a" < "B" in most, not bytewise): the public number
            # breaks the ties, compared as the core compares it.
            application_number=f"{n:02d}"[::-1]
            + "".join(rnd.choices("29AZaz", k=rnd.randint(0, 9))),
            registered_at=rnd.choice(moments),  # few moments, few lotteries: ties
            lottery=rnd.randrange(3),
            created_at=moments[0],
        )
        for n in range(60)
    )
    records = {}
    for child in children:
        choices = rnd.sample([k.pk for k in kindergartens], rnd.randint(1, 3))
        held = [rnd.choice([k.pk for k in kindergartens])] if rnd.random() < 0.15 else []
        lists = {
            "choices": choices,
            "privileges": [
                [rnd.randint(1, 3), _until(rnd)] for _ in range(rnd.choice([0, 0, 0, 1, 2]))
            ],
            "referrals": [[rnd.choice(ReferralKind.values), _until(rnd)]]
            if rnd.random() < 0.3
            else [],
            "held": held,
        }
        records[child.pk] = {
            "born": child.born,
            "registered_at": child.registered_at,
            "lottery": child.lottery,
            "number": child.application_number,
            "active": rnd.random() > 0.1,
            "keep_waiting": rnd.random() < 0.5,
            "verified": rnd.random() > 0.1,
            "flagged": rnd.random() < 0.1,
            "lists": lists,
            **_tiers_until(lists["privileges"]),
            **_referrals_until(lists["referrals"]),
        }
    QueueRecord.objects.bulk_create(QueueRecord(child_id=pk, **v) for pk, v in records.items())
    QueueKey.objects.bulk_create(
        QueueKey(**dict(zip(KEY_FIELDS, key, strict=True))) for key in _keys(records)
    )
    return groups


@pytest.mark.parametrize("seed", SEEDS)
def test_the_databases_queues_and_positions_are_the_cores(seed):
    groups = _city(seed)
    try:
        rows = records_rows(QueueRecord.objects.all())
        for at in DATES:
            city = applicants_at(rows, at=at)
            for group in groups:
                spec = group_spec(group)
                expected = group_queue(applicants=city, group=spec, at=at)
                assert [a.id for a in queue_read(group=spec, at=at)] == [a.id for a in expected], (
                    f"queue of group {group.pk} on {at}"
                )
                assert [a.id for a in queue_read(group=spec, at=at, limit=3)] == [
                    a.id for a in expected[:3]
                ]
                assert queue_length(group=spec, at=at) == len(expected)
                for applicant in city:
                    core = position(applicants=city, group=spec, at=at, applicant_id=applicant.id)
                    sql = positions_of(child=applicant.id, queues=[(spec, at)]).get((spec.id, at))
                    assert sql == core, f"child {applicant.id} in group {group.pk} on {at}"
    finally:
        Child.objects.all().delete()  # records and keys go with them
