"""Races on PostgreSQL: separate connections in threads, started together.

Whatever the interleaving: a place is never offered twice, a child never holds
two open offers, and every declared place is either offered or open.
"""

import datetime as dt
import threading
from collections import Counter

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection

from sadok import clock
from sadok.offers.models import Offer, OfferStatus, Place, PlaceStatus
from sadok.offers.services import place_withdraw, places_declare
from sadok.offers.states import TransitionRefused
from tests.factories import GroupFactory, enroll
from tests.offers.conftest import NOW

pytestmark = pytest.mark.django_db(transaction=True)


def _together(*calls, at=NOW, tick=True):
    """Run the calls in parallel threads, each on its own database connection.

    A refused action (ValidationError, TransitionRefused) is an outcome; anything
    else is a failure of the test."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            outcomes[index] = ("ok", call())
        except (ValidationError, TransitionRefused) as error:
            outcomes[index] = ("refused", error)
        except Exception as error:
            outcomes[index] = ("error", error)
        finally:
            connection.close()

    with time_machine.travel(at, tick=tick):
        threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert all(o is not None and o[0] != "error" for o in outcomes), outcomes
    return outcomes


def _invariants():
    live = Offer.objects.filter(status__in=(OfferStatus.OFFERED, OfferStatus.ACCEPTED))
    assert max(Counter(live.values_list("place_id", flat=True)).values(), default=0) <= 1
    open_offers = live.filter(status=OfferStatus.OFFERED)
    assert max(Counter(open_offers.values_list("child_id", flat=True)).values(), default=0) <= 1
    for place in Place.objects.all():
        has_live = live.filter(place=place).exists()
        expected = PlaceStatus.OFFERED if has_live else place.status
        assert place.status == expected
        if place.status == PlaceStatus.OFFERED:
            assert has_live


def test_parallel_plus_n_on_one_group_never_overbooks(nursery, queue_of):
    queue_of(nursery.kindergarten, count=8)
    outcomes = _together(*[lambda: places_declare(group=nursery, count=2, user=None)] * 4)
    # Five places were free: two runs of "+2" fit, the others are refused.
    assert sorted(o[0] for o in outcomes) == ["ok", "ok", "refused", "refused"]
    assert Place.objects.count() == 4
    assert Offer.objects.filter(status=OfferStatus.OFFERED).count() == 4
    _invariants()


def test_parallel_plus_n_on_groups_sharing_children(queue_of):
    groups = [GroupFactory(age_from_months=24, age_to_months=36) for _ in range(4)]
    for group in groups:
        enroll(group, 13)
    kindergartens = [g.kindergarten for g in groups]
    # Everyone wants all four, in different orders: upgrades cascade across them.
    for shift in range(4):
        queue_of(*(kindergartens[shift:] + kindergartens[:shift]), count=3)
    _together(*[lambda g=g: places_declare(group=g, count=2, user=None) for g in groups])
    assert Place.objects.count() == 8
    assert Offer.objects.filter(status=OfferStatus.OFFERED).count() == 8
    _invariants()


def test_plus_n_racing_a_withdrawal(nursery, queue_of):
    queue_of(nursery.kindergarten, count=6)
    places_declare(group=nursery, count=2, user=None)
    place = Place.objects.order_by("pk").first()
    _together(
        lambda: place_withdraw(place=place, user=None, reason="помилка в кількості"),
        lambda: places_declare(group=nursery, count=3, user=None),
    )
    assert Place.objects.get(pk=place.pk).status == PlaceStatus.WITHDRAWN
    assert Place.objects.filter(status=PlaceStatus.OFFERED).count() == 4
    _invariants()


def test_a_parent_accepting_as_the_sweep_expires_gives_one_outcome(nursery, queue_of):
    from sadok.offers.lifecycle import deadlines_process, offer_accept

    first, _second = queue_of(nursery.kindergarten, count=2)
    with time_machine.travel(NOW, tick=False):
        places_declare(group=nursery, count=1, user=None)
    offer = Offer.objects.get()
    parent = first.guardians.get()
    second = dt.timedelta(seconds=1)

    def accept():  # the parent pressed the button a second before the end
        with clock.at(offer.answer_by - second):
            return offer_accept(offer=offer, user=parent)

    def sweep():  # the sweep woke a second after it
        with clock.at(offer.answer_by + second):
            return deadlines_process()

    outcomes = _together(accept, sweep, at=offer.answer_by, tick=False)
    offer.refresh_from_db()
    accepted = outcomes[0][0] == "ok"
    assert offer.status == (OfferStatus.ACCEPTED if accepted else OfferStatus.EXPIRED)
    if accepted:
        assert Offer.objects.filter(status=OfferStatus.OFFERED).count() == 0
    else:
        assert Offer.objects.filter(status=OfferStatus.OFFERED).count() == 1
    _invariants()


def test_two_sweeps_in_parallel_expire_once_and_reoffer_once(nursery, queue_of):
    from sadok.notifications.models import Message
    from sadok.offers.lifecycle import deadlines_process

    queue_of(nursery.kindergarten, count=6)
    with time_machine.travel(NOW, tick=False):
        places_declare(group=nursery, count=3, user=None)
    expired_at = Offer.objects.first().answer_by
    _together(
        deadlines_process, deadlines_process, at=expired_at + dt.timedelta(seconds=1), tick=False
    )
    assert Offer.objects.filter(status=OfferStatus.EXPIRED).count() == 3
    assert Offer.objects.filter(status=OfferStatus.OFFERED).count() == 3
    assert Message.objects.filter(kind="offer_expired").count() == 3
    _invariants()
