"""Why a child's position changed, as the family reads it on the child's page: each
test names the real cause (docs/queue-rules.md, "Why a position changed"), and the
expected wait on constructed histories ("The expected wait")."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from sadok import clock
from sadok.allocation.wait import wait_months
from sadok.applications.services import children_deactivate
from sadok.journal.models import ActorRole, Event, EventKind
from sadok.offers.door import queue_changes
from sadok.offers.lifecycle import documents_confirm, offer_accept
from sadok.offers.models import Offer
from sadok.offers.services import places_declare
from sadok.queue.selectors import standings_of
from sadok.queue.why import Cause, histories_of, offer_history
from tests.factories import GroupFactory, claim_of
from tests.offers.conftest import NOW

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("privilege_categories")]
LATER = NOW + dt.timedelta(days=2)


def causes(child, *, since=NOW):
    """What the child's page lists for its first kindergarten since `since`."""
    standings = standings_of(child=child, today=clock.today())
    histories = histories_of(
        child=child,
        standings=standings,
        since=since,
        now=clock.now(),
        today=clock.today(),
        seen={},
    )
    return [c.cause for c in histories[standings[0].choice.kindergarten_id].changes]


@time_machine.travel(NOW, tick=False)
def test_nothing_changed_lists_nothing(nursery, queue_of):
    me, _behind = queue_of(nursery.kindergarten, count=2)
    with time_machine.travel(LATER, tick=False):
        assert causes(me) == []


@time_machine.travel(NOW, tick=False)
def test_a_child_behind_with_a_privilege_confirmed_moves_ahead(nursery, queue_of):
    me, behind = queue_of(nursery.kindergarten, count=2)
    with time_machine.travel(LATER, tick=False):
        claim_of(behind, tier=1)
        assert causes(me) == [Cause.PRIVILEGED_AHEAD]


@time_machine.travel(NOW, tick=False)
def test_a_privilege_of_a_child_already_ahead_is_not_a_cause(nursery, queue_of):
    ahead, me = queue_of(nursery.kindergarten, count=2)
    with time_machine.travel(LATER, tick=False):
        claim_of(ahead, tier=1)
        assert causes(me) == []


@time_machine.travel(NOW, tick=False)
def test_a_place_offered_taken_and_enrolled_ahead(nursery, queue_of):
    ahead, me = queue_of(nursery.kindergarten, count=2)
    with time_machine.travel(LATER, tick=False):
        places_declare(group=nursery, count=1, user=None)
        assert causes(me) == [Cause.OFFER_AHEAD]
        offer = offer_accept(offer=Offer.objects.get(child=ahead), user=ahead.guardians.get())
        documents_confirm(offer=offer, user=None)
        assert causes(me) == [Cause.OFFER_AHEAD, Cause.AHEAD_TOOK_PLACE, Cause.AHEAD_ENROLLED]


@time_machine.travel(NOW, tick=False)
def test_a_child_ahead_deactivated(nursery, queue_of):
    ahead, me = queue_of(nursery.kindergarten, count=2)
    with time_machine.travel(LATER, tick=False):
        with queue_changes() as touched:
            touched.add(ahead.pk)
            children_deactivate(child_ids=[ahead.pk], reason="тест")
        assert causes(me) == [Cause.AHEAD_DEACTIVATED]


@time_machine.travel(NOW, tick=False)
def test_the_birthday_moves_the_child_to_the_older_groups_queue(nursery, queue_of):
    older = GroupFactory(
        kindergarten=nursery.kindergarten, name="Старша", age_from_months=36, age_to_months=48
    )
    # 35 months on NOW; 36 on 10 December.
    (me,) = queue_of(nursery.kindergarten, born=dt.date(2023, 12, 10))
    with time_machine.travel(dt.datetime(2026, 12, 15, 10, tzinfo=dt.UTC), tick=False):
        standings = standings_of(child=me, today=clock.today())
        histories = histories_of(
            child=me,
            standings=standings,
            since=NOW,
            now=clock.now(),
            today=clock.today(),
            seen={},
        )
        (change,) = histories[nursery.kindergarten_id].changes
    assert (change.cause, change.at, change.group) == (
        Cause.OWN_BAND,
        dt.date(2026, 12, 10),
        older.name,
    )


@time_machine.travel(NOW, tick=False)
def test_the_child_page_shows_what_changed_since_the_last_visit_only(client, nursery, queue_of):
    me, behind = queue_of(nursery.kindergarten, count=2)
    client.force_login(me.guardians.get())
    page = reverse("cabinet:child", args=[me.pk])
    client.get(page)
    with time_machine.travel(LATER, tick=False):
        claim_of(behind, tier=1)
        second = client.get(page).content.decode()
    assert "підтвердили пільгу" in second
    assert "позиція в черзі: було 1, стало 2" in second
    assert behind.last_name not in second
    assert behind.application_number not in second
    with time_machine.travel(LATER + dt.timedelta(days=1), tick=False):
        third = client.get(page).content.decode()
    assert "підтвердили пільгу" not in third
    assert "Нічого, що вплинуло б на місце дитини" in third


def test_too_little_history_gives_no_estimate():
    assert wait_months(position=3, offers=2, months=12, min_offers=6, min_months=3) is None
    assert wait_months(position=3, offers=20, months=1, min_offers=6, min_months=3) is None


@pytest.mark.parametrize(("rate", "position"), [(2, 10), (1, 1), (5, 40), (0.5, 3)])
def test_a_steady_rate_gives_a_range_around_position_over_rate(rate, position):
    low, high = wait_months(
        position=position, offers=int(rate * 12), months=12, min_offers=6, min_months=3
    )
    assert low <= position / rate <= high
    assert low < high


def test_the_groups_offers_are_counted_over_the_last_year():
    group = 987
    now = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)

    def event(kind, days_ago):
        return Event(
            at=now - dt.timedelta(days=days_ago),
            kind=kind,
            actor_role=ActorRole.SYSTEM,
            group_id=group,
        )

    Event.objects.bulk_create(
        [event(EventKind.GROUP_CREATED, 700)]
        + [event(EventKind.OFFER_MADE, 400 + n) for n in range(3)]  # over a year ago
        + [event(EventKind.OFFER_MADE, 15 * n + 1) for n in range(24)]
    )
    offers, months = offer_history(groups=[group], now=now)[group]
    assert (offers, months) == (24, 12.0)
    # A group two months old: two months of history, however many offers.
    Event.objects.filter(at__lt=now - dt.timedelta(days=61)).delete()
    Event.objects.create(
        at=now - dt.timedelta(days=61),
        kind=EventKind.GROUP_CREATED,
        actor_role="system",
        group_id=group,
    )
    assert offer_history(groups=[group], now=now)[group][1] == pytest.approx(2.0, abs=0.1)
