"""A family may give up an accepted place until its documents are confirmed: like a
decline, the place goes on at once and the child waits in its other queues; every
answer takes a second, explicit step."""

import pytest
import time_machine
from django.urls import reverse

from sadok.journal.models import Event, EventKind
from sadok.offers.lifecycle import acceptance_withdraw, documents_confirm, offer_accept
from sadok.offers.models import Offer, OfferStatus
from sadok.offers.services import places_declare
from sadok.offers.states import TransitionRefused
from sadok.queue.selectors import group_spec, queue_read
from tests.factories import GroupFactory
from tests.factories_accounts import head_of
from tests.offers.conftest import NOW as DAY0

pytestmark = pytest.mark.django_db


def test_a_family_gives_up_an_accepted_place_and_it_goes_to_the_next_child(nursery, queue_of):
    other = GroupFactory(age_from_months=24, age_to_months=36)
    with time_machine.travel(DAY0, tick=False):
        first, second = queue_of(nursery.kindergarten, other.kindergarten, count=2)
        places_declare(group=nursery, count=1, user=None)
        offer = Offer.objects.get(child=first)
        offer_accept(offer=offer, user=first.guardians.get())
        # Holding a place, the child no longer waits for a kindergarten it ranked lower.
        assert first.pk not in {a.id for a in queue_read(group=group_spec(other), at=DAY0.date())}

        acceptance_withdraw(offer=offer, user=first.guardians.get())

        offer.refresh_from_db()
        assert offer.status == OfferStatus.RELINQUISHED
        assert Offer.objects.get(child=second).status == OfferStatus.OFFERED
        assert not first.choices.filter(kindergarten=nursery.kindergarten).exists()
        assert first.pk in {a.id for a in queue_read(group=group_spec(other), at=DAY0.date())}
        event = Event.objects.get(kind=EventKind.ACCEPTANCE_WITHDRAWN)
        assert (event.child_id, event.actor_role) == (first.pk, "parent")
        with pytest.raises(TransitionRefused, match="вже відмовилися"):
            acceptance_withdraw(offer=offer, user=first.guardians.get())


def test_an_enrolled_child_cannot_give_up_the_place_this_way(nursery, queue_of):
    with time_machine.travel(DAY0, tick=False):
        (first,) = queue_of(nursery.kindergarten)
        places_declare(group=nursery, count=1, user=None)
        offer = Offer.objects.get()
        offer_accept(offer=offer, user=first.guardians.get())
        documents_confirm(offer=offer, user=head_of(nursery.kindergarten))
        with pytest.raises(TransitionRefused, match="зараховано"):
            acceptance_withdraw(offer=offer, user=first.guardians.get())


@pytest.mark.parametrize(
    ("name", "status", "answer", "after"),
    [
        ("offer-accept", OfferStatus.OFFERED, "Так, прийняти місце", OfferStatus.ACCEPTED),
        ("offer-decline", OfferStatus.OFFERED, "Так, відмовитися", OfferStatus.DECLINED),
        ("offer-give-up", OfferStatus.ACCEPTED, "Так, відмовитися від місця", "relinquished"),
    ],
)
def test_every_answer_takes_a_second_explicit_step(
    client, nursery, queue_of, name, status, answer, after
):
    with time_machine.travel(DAY0, tick=False):
        (first,) = queue_of(nursery.kindergarten)
        places_declare(group=nursery, count=1, user=None)
        offer = Offer.objects.get()
        if status == OfferStatus.ACCEPTED:
            offer_accept(offer=offer, user=first.guardians.get())
        client.force_login(first.guardians.get())
        url = reverse(f"cabinet:{name}", args=[offer.pk])
        page = client.get(url)
        assert page.status_code == 200
        assert answer in page.content.decode()
        offer.refresh_from_db()
        assert offer.status == status  # the first step changes nothing
        assert client.post(url).status_code == 302
        offer.refresh_from_db()
        assert offer.status == after
