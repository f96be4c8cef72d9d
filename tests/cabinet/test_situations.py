"""Each state a family can be in reads as one true sentence with the next step, on
the cabinet's home and on the child's page (sadok.cabinet.situations.py)."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from sadok import clock
from sadok.accounts.models import User
from sadok.applications.models import Child, ChildStatus, DuplicateFlag
from sadok.cabinet.situations import FamilyState, situation_of
from sadok.kindergartens.models import Enrollment
from sadok.offers.door import queue_changes
from sadok.offers.lifecycle import (
    deadlines_process,
    documents_confirm,
    documents_extend,
    offer_accept,
)
from sadok.offers.models import Offer
from sadok.offers.services import places_declare
from tests.factories import GroupFactory, child_of, claim_of, enroll
from tests.factories_accounts import head_of, person
from tests.offers.conftest import verified_parent

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 27, 10, tzinfo=clock.KYIV)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def _guardian(child):
    return child.guardians.first()


def _pages(client, child):
    """The cabinet's home and the child's page, as the family sees them."""
    client.force_login(_guardian(child))
    return [
        client.get(reverse("cabinet:home")).content.decode(),
        client.get(reverse("cabinet:child", args=[child.pk])).content.decode(),
    ]


def _shows(client, child, state, text):
    situation = situation_of(child=child)
    assert situation.state == state
    assert text in situation.sentence
    for html in _pages(client, child):
        assert f'data-state="{state}"' in html
        assert text in html.replace("&#x27;", "'").replace("&quot;", '"')
    return situation


def _head(kindergarten):
    return User.objects.filter(email=f"head{kindergarten.number}@example.com").first() or head_of(
        kindergarten
    )


def _offered(child, group):
    places_declare(group=group, count=1, user=_head(group.kindergarten))
    return Offer.objects.get(child=child, status="offered")


def test_waiting(client, queue_of, nursery):
    (child,) = queue_of(nursery.kindergarten)
    _shows(client, child, FamilyState.WAITING, "Дитина в черзі. Щойно звільниться місце")


def test_no_kindergartens_chosen_yet(client):
    child = child_of(verified_parent(1), born=dt.date(2024, 6, 1))
    _shows(client, child, FamilyState.NO_CHOICES, "Дитина ще не в черзі: оберіть садочки.")


def test_contacts_not_verified(client, nursery):
    parent = person("new@example.com")
    child = child_of(parent, kindergartens=[nursery.kindergarten], born=dt.date(2024, 6, 1))
    _shows(client, child, FamilyState.UNVERIFIED, "підтвердьте свій телефон і e-mail")


def test_flagged_for_the_district_office(client, queue_of, nursery):
    first, second = queue_of(nursery.kindergarten, count=2)
    with queue_changes() as touched:
        touched.add(first.pk)
        DuplicateFlag.objects.create(child=first, similar_to=second, created_at=NOW)
    _shows(client, first, FamilyState.FLAGGED, "Запис перевіряє РУО")


def test_privilege_claim_pending(client, queue_of, nursery, privilege_categories):
    (child,) = queue_of(nursery.kindergarten)
    claim_of(child, tier=1, confirmed=False)
    _shows(client, child, FamilyState.CLAIM_PENDING, "Заяву на пільгу розглядає РУО")


def test_offered_with_the_deadline_and_no_queue_position_for_that_kindergarten(
    client, queue_of, nursery
):
    (child,) = queue_of(nursery.kindergarten)
    _offered(child, nursery)
    situation = _shows(client, child, FamilyState.OFFERED, "Для дитини є місце")
    assert "Відповідайте до 07.12.2026 23:59" in situation.sentence
    child_page = _pages(client, child)[1]
    assert "місце в черзі" not in child_page
    assert "Тут дитині запропоновано місце" in child_page


def test_upgraded_to_a_better_offer(client, queue_of):
    favourite = GroupFactory(age_from_months=24, age_to_months=36)
    second_best = GroupFactory(age_from_months=24, age_to_months=36)
    enroll(favourite, 15)
    enroll(second_best, 14)
    (child,) = queue_of(favourite.kindergarten, second_best.kindergarten)
    places_declare(group=second_best, count=1, user=None)
    favourite.capacity = 16
    favourite.save()
    places_declare(group=favourite, count=1, user=None)
    _shows(client, child, FamilyState.UPGRADED, "Є краще місце")


def test_accepted_then_extended_then_enrolled(client, queue_of, nursery):
    (child,) = queue_of(nursery.kindergarten)
    offer = _offered(child, nursery)
    offer_accept(offer=offer, user=_guardian(child))
    _shows(client, child, FamilyState.ACCEPTED, "Принесіть документи керівнику до")
    documents_extend(offer=offer, user=_guardian(child))
    _shows(client, child, FamilyState.EXTENDED, "Строк уже подовжено")
    documents_confirm(offer=offer, user=_head(nursery.kindergarten))
    _shows(client, child, FamilyState.ENROLLED, "Дитину зараховано до садочка")
    assert Enrollment.objects.filter(child=child).exists()


def test_enrolled_and_keeping_waiting(client, queue_of):
    favourite = GroupFactory(age_from_months=24, age_to_months=36)
    held = GroupFactory(age_from_months=24, age_to_months=36)
    enroll(favourite, 15)
    enroll(held, 14)
    (child,) = queue_of(favourite.kindergarten, held.kindergarten)
    with queue_changes() as touched:
        touched.add(child.pk)
        Child.objects.filter(pk=child.pk).update(keep_waiting=True)
    child.refresh_from_db()
    offer = _offered(child, held)
    offer_accept(offer=offer, user=_guardian(child))
    documents_confirm(offer=offer, user=_head(held.kindergarten))
    _shows(client, child, FamilyState.ENROLLED_WAITING, "чекає в черзі садочків, вищих")


def test_declined_says_nothing_of_a_next_child(client, queue_of, nursery):
    (child,) = queue_of(nursery.kindergarten, GroupFactory().kindergarten)
    offer = _offered(child, nursery)
    client.force_login(_guardian(child))
    response = client.post(reverse("cabinet:offer-decline", args=[offer.pk]), follow=True)
    page = response.content.decode()
    # Nobody else waits for that group: the place stays open, and the page says so.
    assert "наступній дитині" not in page
    assert "Місце лишається вільним" in page
    _shows(client, child, FamilyState.DECLINED, "Ви відмовилися від місця")


def test_a_decline_tells_when_the_place_went_to_the_next_child(client, queue_of, nursery):
    first, _second = queue_of(nursery.kindergarten, count=2)
    offer = _offered(first, nursery)
    client.force_login(_guardian(first))
    response = client.post(reverse("cabinet:offer-decline", args=[offer.pk]), follow=True)
    assert "Місце запропоновано наступній дитині в черзі." in response.content.decode()


def test_deactivated(client, queue_of, nursery):
    (child,) = queue_of(nursery.kindergarten)
    offer = _offered(child, nursery)
    # The answer never came: the sweep deactivates the child.
    with time_machine.travel(offer.answer_by + dt.timedelta(minutes=1), tick=False):
        deadlines_process()
    child.refresh_from_db()
    assert child.status == ChildStatus.DEACTIVATED
    _shows(client, child, FamilyState.DEACTIVATED, "Участь у черзі призупинено")
