"""One account cannot fill the queue with children (SPEC.md "Duplicate and fake
control"): beyond a plausible family, a new child waits for the district office."""

import datetime as dt

import pytest
import time_machine

from sadok.queue.selectors import group_spec, queue_read
from tests.factories import GroupFactory, KindergartenFactory, child_of
from tests.factories_accounts import verified_parent

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)


def test_a_fourth_child_in_a_day_and_a_seventh_on_one_account_wait_for_the_office(settings):
    settings.SADOK_CHILDREN_PER_ACCOUNT = 6
    settings.SADOK_CHILDREN_PER_DAY = 3
    kindergarten = KindergartenFactory()
    group = GroupFactory(kindergarten=kindergarten, age_from_months=36, age_to_months=60)
    parent = verified_parent("many@example.com", "+380501110000")
    children = []
    for n in range(8):
        with time_machine.travel(NOW + dt.timedelta(days=2 * (n // 3), minutes=n), tick=False):
            children.append(
                child_of(
                    parent,
                    certificate=f"I-КВ {400000 + n}",
                    born=dt.date(2022, 6, 1) + dt.timedelta(days=n),
                    kindergartens=[kindergarten],
                )
            )
    flagged = [c.flags.exists() for c in children]
    # Three a day pass; the seventh and eighth exceed the family's size.
    assert flagged == [False] * 6 + [True, True]
    assert "більше 6 дітей" in children[6].flags.get().reason
    with time_machine.travel(NOW + dt.timedelta(days=10), tick=False):
        queued = {a.id for a in queue_read(group=group_spec(group), at=dt.date(2026, 12, 11))}
        assert queued == {c.pk for c in children[:6]}
        late = child_of(
            verified_parent("busy@example.com", "+380501110001"),
            certificate="I-КВ 499999",
            kindergartens=[kindergarten],
        )
    assert not late.flags.exists()


def test_more_than_three_in_a_day_wait(settings):
    settings.SADOK_CHILDREN_PER_DAY = 3
    parent = verified_parent("quick@example.com", "+380501110002")
    with time_machine.travel(NOW, tick=False):
        children = [
            child_of(
                parent,
                certificate=f"I-КВ {410000 + n}",
                first_name=name,
                born=dt.date(2022, 1, 1) + dt.timedelta(days=300 * n),
            )
            for n, name in enumerate(["Марко", "Олена", "Тарас", "Ірина"])
        ]
    assert [c.flags.exists() for c in children] == [False, False, False, True]
    assert "за добу" in children[3].flags.get().reason
