import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from sadok.kindergartens.models import Group
from sadok.offers.models import Decision, Offer, OfferStatus, Place, PlaceStatus
from sadok.offers.runs import UPGRADE_REASON
from sadok.offers.selectors import Room, group_room
from sadok.offers.services import place_withdraw, places_declare
from tests.factories import GroupFactory, enroll
from tests.factories_accounts import head_of
from tests.offers.conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def _offered(group):
    return list(
        Offer.objects.filter(place__group=group, status=OfferStatus.OFFERED)
        .order_by("child__registered_at")
        .values_list("child_id", flat=True)
    )


def test_plus_two_offers_the_first_two_children_of_the_queue_at_once(nursery, queue_of):
    first, second, third = queue_of(nursery.kindergarten, count=3)
    run = places_declare(group=nursery, count=2, user=head_of(nursery.kindergarten))
    assert _offered(nursery) == [first.pk, second.pk]
    offer = Offer.objects.get(child=first)
    # Ten calendar days, to the end of the Kyiv day.
    assert offer.answer_by == dt.datetime(
        2026, 12, 7, 23, 59, 59, tzinfo=dt.timezone(dt.timedelta(hours=2))
    )
    assert run.summary == {"places": 2, "offers": 2, "withdrawn": 0, "unfilled": 0}
    assert Place.objects.filter(status=PlaceStatus.OFFERED).count() == 2
    assert not Offer.objects.filter(child=third).exists()


def test_more_places_than_free_are_refused_and_nothing_is_written(nursery, queue_of):
    queue_of(nursery.kindergarten, count=3)
    places_declare(group=nursery, count=3, user=None)
    assert group_room(group=nursery).free == 2
    with pytest.raises(ValidationError, match="щонайбільше 2 вільних місць"):
        places_declare(group=nursery, count=3, user=None)
    assert Place.objects.count() == 3
    with pytest.raises(ValidationError):
        places_declare(group=nursery, count=0, user=None)


def test_a_place_with_no_eligible_child_stays_open_with_the_reason(nursery):
    places_declare(group=nursery, count=1, user=None)
    place = Place.objects.get()
    assert place.status == PlaceStatus.OPEN
    assert Decision.objects.get().reason == "unfilled_no_eligible_child"


def test_the_upgrade_rule_cascades_to_the_next_child(queue_of):
    favourite = GroupFactory(age_from_months=24, age_to_months=36)
    second_best = GroupFactory(age_from_months=24, age_to_months=36)
    enroll(favourite, 15)
    enroll(second_best, 14)
    (child,) = queue_of(favourite.kindergarten, second_best.kindergarten)
    (other,) = queue_of(second_best.kindergarten)
    places_declare(group=second_best, count=1, user=None)
    assert _offered(second_best) == [child.pk]

    favourite.capacity = 16
    favourite.save()
    places_declare(group=favourite, count=1, user=None)

    assert _offered(favourite) == [child.pk]
    assert _offered(second_best) == [other.pk]  # the freed place went on at once
    withdrawn = Offer.objects.get(status=OfferStatus.WITHDRAWN)
    assert withdrawn.child == child
    assert withdrawn.closed_reason == UPGRADE_REASON
    assert Decision.objects.filter(reason="upgraded", child=child).exists()


def test_a_child_holding_a_better_offer_is_passed_over_with_the_reason(queue_of):
    better = GroupFactory(age_from_months=24, age_to_months=36)
    worse = GroupFactory(age_from_months=24, age_to_months=36)
    enroll(better, 14)
    enroll(worse, 14)
    child, later = queue_of(better.kindergarten, worse.kindergarten, count=2)
    places_declare(group=better, count=1, user=None)
    places_declare(group=worse, count=1, user=None)
    assert _offered(worse) == [later.pk]
    assert Decision.objects.filter(child=child, reason="passed_over_holds_better_offer").exists()


def test_the_database_refuses_a_second_live_offer_for_a_place(nursery, queue_of):
    _a, b = queue_of(nursery.kindergarten, count=2)
    places_declare(group=nursery, count=1, user=None)
    offer = Offer.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Offer.objects.create(place=offer.place, child=b, reason="bug", made_at=NOW, answer_by=NOW)


def test_the_database_refuses_a_second_open_offer_for_a_child(nursery, queue_of):
    (a,) = queue_of(nursery.kindergarten)
    places_declare(group=nursery, count=2, user=None)
    open_place = Place.objects.get(status=PlaceStatus.OPEN)
    with pytest.raises(IntegrityError), transaction.atomic():
        Offer.objects.create(place=open_place, child=a, reason="bug", made_at=NOW, answer_by=NOW)


def test_a_head_withdraws_a_place_with_a_reason(nursery, queue_of):
    (_child,) = queue_of(nursery.kindergarten)
    places_declare(group=nursery, count=1, user=None)
    place = Place.objects.get()
    with pytest.raises(ValidationError, match="причину"):
        place_withdraw(place=place, user=None, reason=" ")
    place_withdraw(place=place, user=None, reason="група закривається на ремонт")
    offer = Offer.objects.get()
    assert (offer.status, offer.closed_reason) == ("withdrawn", "група закривається на ремонт")
    from sadok.notifications.models import Message

    told = Message.objects.get(kind="offer_withdrawn")
    assert "група закривається на ремонт" in told.body
    assert group_room(group=nursery).free == 5


def test_wave_places_wait_for_the_wave(nursery, queue_of):
    queue_of(nursery.kindergarten, count=2)
    assert places_declare(group=nursery, count=2, user=None, wave_date=dt.date(2027, 9, 1)) is None
    assert not Offer.objects.exists()


def test_a_cascade_reads_every_queue_it_reaches(queue_of):
    """Three kindergartens in a chain: each upgrade frees a place one step down,
    and the engine reads each next queue as the cascade gets there."""
    k1, k2, k3 = (GroupFactory(age_from_months=24, age_to_months=36) for _ in range(3))
    for group in (k1, k2, k3):
        enroll(group, 14)
    (a,) = queue_of(k1.kindergarten, k2.kindergarten)
    (b,) = queue_of(k2.kindergarten, k3.kindergarten)
    (c,) = queue_of(k3.kindergarten)
    places_declare(group=k2, count=1, user=None)  # → a
    places_declare(group=k3, count=1, user=None)  # → b
    assert (_offered(k2), _offered(k3)) == ([a.pk], [b.pk])
    k1.capacity = 16
    k1.save()

    places_declare(group=k1, count=1, user=None)

    assert (_offered(k1), _offered(k2), _offered(k3)) == ([a.pk], [b.pk], [c.pk])
    assert Offer.objects.filter(status=OfferStatus.WITHDRAWN).count() == 2


def test_a_place_the_family_accepted_cannot_be_withdrawn(nursery, queue_of):
    from sadok.offers.lifecycle import offer_accept

    (child,) = queue_of(nursery.kindergarten)
    places_declare(group=nursery, count=1, user=None)
    offer_accept(offer=Offer.objects.get(), user=child.guardians.get())
    with pytest.raises(ValidationError, match="вже прийняли"):
        place_withdraw(place=Place.objects.get(), user=None, reason="помилка")
    assert Offer.objects.get().status == OfferStatus.ACCEPTED


def test_a_groups_room_counts_the_children_and_the_places_still_promised(nursery):
    from sadok.kindergartens.models import Enrollment

    left = Enrollment.objects.filter(group=nursery).first()
    left.ended_on = dt.date(2026, 6, 1)
    left.save()
    for status in PlaceStatus:
        Place.objects.create(group=nursery, declared_at=NOW, status=status)
    room = group_room(group=nursery)
    # 9 children still attend; only the open and the offered places are promised.
    assert room == Room(capacity=15, enrolled=9, declared=2)
    assert (room.taken, room.free) == (11, 4)
    assert Room(capacity=10, enrolled=9, declared=3).free == -2


def test_a_group_whose_band_awaits_review_takes_no_declared_place(nursery):
    """Groups from before the whole-years rule with another band are flagged for the
    district office (migration kindergartens 0005): no place is declared in them
    until the band is whole years."""
    nursery.band_review = True
    nursery.save()
    with pytest.raises(ValidationError, match="перевірку РУО"):
        places_declare(group=nursery, count=1, user=None)
    assert not Place.objects.exists()


def test_the_migration_flags_every_band_that_is_not_whole_years_and_changes_none():
    import importlib

    from django.apps import apps

    flag = importlib.import_module("sadok.kindergartens.migrations.0005_group_bands_flagged")
    odd = GroupFactory(kind="younger", age_from_months=55, age_to_months=56)
    wide = GroupFactory(kind="middle", age_from_months=48, age_to_months=72)
    fine = GroupFactory(kind="older", age_from_months=60, age_to_months=84)
    flag.bands_flag(apps, None)
    flagged = {
        g.pk: (g.band_review, g.age_from_months, g.age_to_months) for g in Group.objects.all()
    }
    assert flagged == {
        odd.pk: (True, 55, 56),
        wide.pk: (True, 48, 72),
        fine.pk: (False, 60, 84),
    }
