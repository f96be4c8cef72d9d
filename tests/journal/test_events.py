"""Every change of a queue, a place, an offer or a group appends its domain event in
the same transaction, with who acted (by role) and what a replay needs."""

import datetime as dt

import pytest
import time_machine

from sadok.applications.models import ClaimStatus
from sadok.journal.models import ActorRole, Event, EventKind
from sadok.offers import door, lifecycle
from sadok.offers.services import places_declare
from tests.admin_pages import admin_save
from tests.factories import GroupFactory, child_of, claim_of, enroll
from tests.factories_accounts import city_admin, head_of
from tests.offers.conftest import NOW, verified_parent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("privilege_categories")]
BORN = dt.date(2024, 6, 1)


def _told(**where):
    return list(Event.objects.filter(**where).order_by("pk").values_list("kind", "actor_role"))


@time_machine.travel(NOW, tick=False)
def test_a_childs_story_is_told_event_by_event_with_who_acted():
    group = GroupFactory(age_from_months=24, age_to_months=36)
    other = GroupFactory(age_from_months=24, age_to_months=36)
    enroll(group, 10)
    head = head_of(group.kindergarten)
    parent = verified_parent(1)
    child = child_of(parent, born=BORN)
    door.choice_add(child=child, kindergarten=group.kindergarten, user=parent)
    door.choice_add(child=child, kindergarten=other.kindergarten, user=parent)
    door.choice_move(
        choice=child.choices.get(kindergarten=other.kindergarten), up=True, user=parent
    )
    claim = claim_of(child, code="military", confirmed=False)
    claim.status = ClaimStatus.CONFIRMED
    admin_save(claim, by=city_admin())
    places_declare(group=group, count=1, user=head)
    offer = child.offers.get()
    lifecycle.offer_accept(offer=offer, user=parent)
    lifecycle.documents_confirm(offer=offer, user=head)

    assert _told(child_id=child.pk) == [
        (EventKind.REGISTERED, ActorRole.PARENT),
        (EventKind.CHOICE_ADDED, ActorRole.PARENT),
        (EventKind.CHOICE_MOVED, ActorRole.PARENT),
        (EventKind.PRIVILEGE_CONFIRMED, ActorRole.ADMIN),
        (EventKind.OFFER_MADE, ActorRole.HEAD),
        (EventKind.OFFER_ACCEPTED, ActorRole.PARENT),
        (EventKind.HELD_CHANGED, ActorRole.PARENT),  # an accepted offer holds a place
        (EventKind.DOCUMENTS_CONFIRMED, ActorRole.HEAD),
    ]
    registered = Event.objects.get(child_id=child.pk, kind=EventKind.REGISTERED)
    assert registered.application_number == child.application_number
    assert registered.data["lottery"] == child.lottery
    assert registered.data["number"] == child.application_number
    moved = Event.objects.get(child_id=child.pk, kind=EventKind.CHOICE_MOVED)
    assert moved.data["choices"] == [other.kindergarten.pk, group.kindergarten.pk]
    # The place and the allocation that offered it, with the reference date and the
    # age in whole months of each child it read.
    assert _told(place_id=offer.place_id, child_id=None) == [
        (EventKind.PLACE_DECLARED, ActorRole.HEAD)
    ]
    allocation = Event.objects.get(kind=EventKind.ALLOCATION)
    assert allocation.data["reference_date"] == NOW.date().isoformat()
    assert allocation.data["ages"] == {str(child.pk): 29}
    assert allocation.data["places"] == [offer.place_id]


@time_machine.travel(NOW, tick=False)
def test_no_event_carries_a_name_or_a_birth_date():
    group = GroupFactory(age_from_months=24, age_to_months=36)
    enroll(group, 10)
    child = child_of(
        verified_parent(1), born=BORN, last_name="Ґонта", kindergartens=[group.kindergarten]
    )
    places_declare(group=group, count=1, user=None)
    lifecycle.deadlines_process()
    for event in Event.objects.all():
        text = f"{event.application_number} {event.reason} {event.data}"
        assert "Ґонта" not in text
        assert child.first_name not in text
        assert BORN.isoformat() not in text


def test_what_exists_when_the_journal_begins_gets_a_genesis_event_once(queue_of):
    from django.core.management import call_command

    from sadok.journal.models import Event
    from sadok.offers.genesis import genesis_ensure

    group = GroupFactory(age_from_months=24, age_to_months=36)
    enroll(group, 10)
    (child,) = queue_of(group.kindergarten, born=BORN)
    with time_machine.travel(NOW, tick=False):
        places_declare(group=group, count=1, user=None)
    Event.objects.all().delete()  # as on a database from before the journal
    call_command("migrate", verbosity=0)  # writes what is missing
    genesis = Event.objects.filter(kind=EventKind.GENESIS)
    assert sorted(genesis.values_list("reason", flat=True)) == ["child", "group", "place"]
    record = genesis.get(reason="child")
    assert record.child_id == child.pk
    assert record.data["lists"]["choices"] == [group.kindergarten.pk]
    assert "born" not in record.data
    assert genesis.get(reason="place").offer_id == child.offers.get().pk
    assert genesis_ensure() == 0  # once


def test_only_a_guardian_changes_a_childs_queue_through_the_door():
    from sadok.offers.policies import Denied, Refused

    group = GroupFactory(age_from_months=24, age_to_months=36)
    child = child_of(verified_parent(1), born=BORN)
    stranger = verified_parent(2)
    with pytest.raises(Refused) as refused:
        door.choice_add(child=child, kindergarten=group.kindergarten, user=stranger)
    assert refused.value.reason == Denied.NOT_GUARDIAN
    assert not child.choices.exists()
    assert not Event.objects.filter(child_id=child.pk).exists()
