"""No declared place stays open while a child eligible for it waits (SPEC.md
"Group formation"): whatever makes a child eligible, the open places it now fits
are offered at once, by the same engine and rule."""

import datetime as dt
import threading
import time

import pytest
import time_machine
from allauth.account.adapter import get_adapter
from django.db import connection, transaction

from sadok.applications.models import ChildStatus, ClaimStatus, DuplicateFlag
from sadok.offers import door
from sadok.offers.engine import serialize_allocations
from sadok.offers.models import Offer, OfferStatus, Place, PlaceStatus
from sadok.offers.services import places_declare
from sadok.offers.settle import places_offer_daily
from tests.admin_pages import admin_save
from tests.factories import GroupFactory, child_of, claim_of, enroll
from tests.factories_accounts import head_of, person
from tests.offers.conftest import NOW, verified_parent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("privilege_categories")]
BORN = dt.date(2024, 6, 1)  # 29 months at NOW


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def open_place(nursery):
    """ "+1" on a group whose queue is empty: the place stays open."""
    run = places_declare(group=nursery, count=1, user=None)
    assert run.summary["unfilled"] == 1
    return Place.objects.get(group=nursery)


def _offered(child):
    return list(
        Offer.objects.filter(child=child, status=OfferStatus.OFFERED).values_list(
            "place_id", flat=True
        )
    )


def test_a_child_who_chooses_a_kindergarten_with_an_open_place_is_offered_it(open_place, nursery):
    """Found from outside: "+1" on an empty queue, then a fitting child registers and
    chooses the kindergarten — the place was never offered."""
    child = child_of(verified_parent(1), born=BORN, kindergartens=[nursery.kindergarten])
    assert _offered(child) == [open_place.pk]
    open_place.refresh_from_db()
    assert open_place.status == PlaceStatus.OFFERED


def test_verified_contacts_bring_the_offer(open_place, nursery):
    parent = person("tato@example.com")  # phone not verified yet
    child = child_of(parent, born=BORN, kindergartens=[nursery.kindergarten])
    assert _offered(child) == []
    get_adapter().set_phone(parent, "+380671234567", True)
    assert _offered(child) == [open_place.pk]


def test_a_reactivated_child_is_offered_the_open_place(open_place, nursery):
    child = child_of(verified_parent(1), born=BORN)
    child.status, child.status_changed_at = ChildStatus.DEACTIVATED, NOW
    child.save()
    door.choice_add(child=child, kindergarten=nursery.kindergarten)
    assert _offered(child) == []
    door.child_reactivate(child=child)
    assert _offered(child) == [open_place.pk]


def test_a_flag_resolved_in_the_admin_brings_the_offer(open_place, nursery):
    twin = child_of(verified_parent(1), born=BORN, first_name="Олена")
    child = child_of(verified_parent(2), born=BORN, certificate="I-КВ 100002")
    flag = DuplicateFlag(child=child, similar_to=twin, reason="?", created_at=NOW)
    admin_save(flag)
    door.choice_add(child=child, kindergarten=nursery.kindergarten)
    assert _offered(child) == []
    flag.status = "cleared"
    admin_save(flag)
    assert _offered(child) == [open_place.pk]


def test_a_confirmed_privilege_moves_the_open_place_to_the_child_first_in_line(nursery):
    """Two children hold nothing; a place opens and goes to the first. The other's
    privilege is confirmed later: it holds no offer, but the place is no longer open,
    so nothing changes (no place is taken from a child)."""
    first = child_of(verified_parent(1), born=BORN, kindergartens=[nursery.kindergarten])
    places_declare(group=nursery, count=1, user=None)
    second = child_of(
        verified_parent(2),
        born=BORN,
        certificate="I-КВ 100002",
        kindergartens=[nursery.kindergarten],
    )
    claim = claim_of(second, code="military", confirmed=False)
    claim.status = ClaimStatus.CONFIRMED
    admin_save(claim)
    assert len(_offered(first)) == 1
    assert _offered(second) == []


def test_places_reserved_for_a_wave_wait_for_it(nursery):
    places_declare(group=nursery, count=1, user=None, wave_date=dt.date(2027, 9, 1))
    child = child_of(verified_parent(1), born=BORN, kindergartens=[nursery.kindergarten])
    assert _offered(child) == []


def test_the_daily_run_offers_a_place_to_a_child_whose_birthday_brought_it_into_the_band():
    group = GroupFactory(age_from_months=24, age_to_months=36)
    enroll(group, 10)
    places_declare(group=group, count=1, user=None)  # nobody in the band yet
    born = (NOW + dt.timedelta(days=1)).date().replace(year=NOW.year - 2)  # 2 tomorrow
    child = child_of(verified_parent(1), born=born, kindergartens=[group.kindergarten])
    assert _offered(child) == []
    with time_machine.travel(NOW + dt.timedelta(days=1), tick=False):
        places_offer_daily()
    assert len(_offered(child)) == 1


@pytest.mark.django_db(transaction=True)
def test_a_parents_choice_does_not_wait_behind_a_running_wave(nursery, settings):
    """The city-wide allocation lock is held (a wave running) for two seconds: the
    parent's choice is saved at once, and the worker makes the offer once the lock
    is free."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    places_declare(group=nursery, count=1, user=None)
    child = child_of(verified_parent(1), born=BORN)
    holding, release = threading.Event(), threading.Event()

    def wave():
        try:
            with transaction.atomic():
                serialize_allocations()
                holding.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=wave)
    thread.start()
    holding.wait(5)
    started = time.perf_counter()
    door.choice_add(child=child, kindergarten=nursery.kindergarten)
    waited = time.perf_counter() - started
    release.set()
    thread.join()
    assert waited < 1.0, f"the parent's write waited {waited:.2f} s"
    assert _offered(child) == []  # not yet: the lock was taken

    from django_tasks import default_task_backend

    (result,) = default_task_backend.results
    result.task.call(*result.args, **result.kwargs)  # the worker's turn
    assert len(_offered(child)) == 1


def test_a_child_whose_offer_the_head_withdraws_is_offered_the_open_place_it_was_passed_over_for():
    """Found by the state machine: a child holding an offer at its 1st choice is
    passed over for an open place at its 2nd; when the head withdraws the 1st, the
    2nd must come to it at once."""
    first = GroupFactory(age_from_months=24, age_to_months=36)
    second = GroupFactory(age_from_months=24, age_to_months=36)
    enroll(first, 10)
    enroll(second, 10)
    child = child_of(
        verified_parent(1), born=BORN, kindergartens=[first.kindergarten, second.kindergarten]
    )
    places_declare(group=first, count=1, user=None)
    places_declare(group=second, count=1, user=None)  # passed over: it holds a better one
    held = Place.objects.get(group=first)
    assert _offered(child) == [held.pk]
    from sadok.offers.services import place_withdraw

    place_withdraw(place=held, user=head_of(first.kindergarten), reason="помилка")
    assert _offered(child) == [Place.objects.get(group=second).pk]


def test_a_place_declared_for_a_wave_whose_date_has_come_is_offered_at_once(nursery):
    """Found by the state machine: on (or after) the wave's date a place declared "for
    the wave" waited for a wave that had already run."""
    child = child_of(verified_parent(1), born=BORN, kindergartens=[nursery.kindergarten])
    run = places_declare(group=nursery, count=1, user=None, wave_date=NOW.date())
    assert run is not None
    assert len(_offered(child)) == 1
