"""The offers tests' families, and a story of offers, for the journal's tests."""

import datetime as dt

import pytest
import time_machine

from sadok.applications.models import DuplicateFlag
from sadok.offers import door, lifecycle
from sadok.offers.genesis import genesis_ensure
from sadok.offers.services import places_declare, wave_run
from tests.admin_pages import admin_save
from tests.factories import GroupFactory, child_of, claim_of, enroll
from tests.factories_accounts import head_of
from tests.journal.log_events import log_starts_now
from tests.offers.conftest import NOW, nursery, queue_of, verified_parent  # noqa: F401  (fixtures)

BORN = dt.date(2024, 6, 1)


@pytest.fixture
def log_began():
    """The public log starts after the events of earlier tests (ask for it first)."""
    log_starts_now()


@pytest.fixture
def story(privilege_categories):
    """Two kindergartens; children who choose, are flagged and cleared, get a
    privilege, an offer, an upgrade, a decline; a wave."""
    with time_machine.travel(NOW, tick=False):
        first = GroupFactory(age_from_months=24, age_to_months=36)
        second = GroupFactory(age_from_months=24, age_to_months=36)
        enroll(first, 10)
        enroll(second, 10)
        genesis_ensure()
        a, b, c = (
            child_of(
                verified_parent(n),
                born=BORN,
                certificate=f"I-КВ 10000{n}",
                first_name=name,
                registered_at=NOW - dt.timedelta(days=30 - n),  # a, then b, then c
            )
            for n, name in ((1, "Марко"), (2, "Олена"), (3, "Іван"))
        )
        for child in (a, b, c):
            door.choice_add(child=child, kindergarten=second.kindergarten)
        door.choice_add(child=a, kindergarten=first.kindergarten)
        door.choice_move(choice=a.choices.get(kindergarten=first.kindergarten), up=True)
        flag = DuplicateFlag(child=b, similar_to=c, reason="?", created_at=NOW)
        admin_save(flag)
        places_declare(group=second, count=1, user=head_of(second.kindergarten))  # to a
        claim_of(c, code="military")  # c now goes before b
        flag.status = "cleared"
        admin_save(flag)
        places_declare(group=first, count=1, user=None)  # a upgrades: its place goes to c
        offer = b.offers.filter(status="offered").first() or c.offers.get(status="offered")
        lifecycle.offer_decline(offer=offer, user=offer.child.guardians.get())
        places_declare(group=second, count=1, user=None, wave_date=dt.date(2027, 9, 1))
    with time_machine.travel(dt.datetime(2027, 9, 1, 8, tzinfo=dt.UTC), tick=False):
        wave_run(on=dt.date(2027, 9, 1))
