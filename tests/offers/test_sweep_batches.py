"""The deadline sweep after a wave: thousands of offers reach a deadline at the same
minute, and the sweep takes them in batches (`SADOK_REMIND_BATCH`,
`SADOK_SWEEP_BATCH`), each batch one transaction and, for expiries, one allocation
run for all the places it frees."""

import pytest
import time_machine

from sadok.applications.models import ChildStatus
from sadok.journal.models import Event, EventKind
from sadok.notifications.models import Message
from sadok.offers.door import keep_waiting_set
from sadok.offers.lifecycle import deadlines_process, offer_accept
from sadok.offers.models import AllocationRun, Offer, OfferStatus
from sadok.offers.services import places_declare
from tests.factories import GroupFactory, KindergartenFactory, enroll
from tests.factories_accounts import head_of
from tests.offers.test_lifecycle import DAY0, kyiv

pytestmark = pytest.mark.django_db


def _sweep(at):
    with time_machine.travel(at, tick=False):
        return deadlines_process()


def _offered():
    return list(
        Offer.objects.filter(status=OfferStatus.OFFERED)
        .order_by("pk")
        .values_list("child_id", flat=True)
    )


# A batch re-offers its places by the heads of their queues, or (from
# SADOK_WHOLE_READ_FROM places) with the queues read whole: the same offers.
WHOLE_FROM = pytest.mark.parametrize("whole_from", [1, 1000], ids=["whole", "heads"])


@WHOLE_FROM
def test_reminders_and_expiries_go_in_batches_and_the_places_on_in_one_run_each(
    settings, nursery, queue_of, whole_from
):
    settings.SADOK_SWEEP_BATCH = settings.SADOK_REMIND_BATCH = 2
    settings.SADOK_WHOLE_READ_FROM = whole_from
    with time_machine.travel(DAY0, tick=False):
        children = queue_of(nursery.kindergarten, count=12)
        places_declare(group=nursery, count=5, user=head_of(nursery.kindergarten))
    first_offers = list(Offer.objects.order_by("pk"))
    assert sorted(o.child_id for o in first_offers) == sorted(c.pk for c in children[:5])

    reminded = _sweep(kyiv(1204, 9, 5)).reminded
    assert sorted(reminded) == sorted(o.pk for o in first_offers)  # three batches
    assert _sweep(kyiv(1204, 10)).reminded == []
    for child in children[:5]:
        assert (
            Message.objects.filter(user__guardianships__child=child, kind="offer_reminder").count()
            == 1
        )

    runs_before = AllocationRun.objects.filter(kind=AllocationRun.Kind.REOFFER).count()
    report = _sweep(kyiv(1208, 0, 0, 0))
    assert sorted(report.expired) == sorted(o.pk for o in first_offers)
    assert report.reoffered == 5
    # Three batches (2 + 2 + 1): three allocation runs, not five.
    assert AllocationRun.objects.filter(kind=AllocationRun.Kind.REOFFER).count() == (
        runs_before + 3
    )
    # The places went on, by the queue rule, to the next five children.
    assert sorted(_offered()) == sorted(c.pk for c in children[5:10])
    for child in children[:5]:
        child.refresh_from_db()
        assert child.status == ChildStatus.DEACTIVATED
        assert (
            Message.objects.filter(user__guardianships__child=child, kind="offer_expired").count()
            == 1
        )
    expired_events = Event.objects.filter(kind=EventKind.OFFER_EXPIRED)
    assert sorted(expired_events.values_list("child_id", flat=True)) == sorted(
        c.pk for c in children[:5]
    )
    assert _sweep(kyiv(1208, 0, 5)).expired == []  # idempotent


@WHOLE_FROM
def test_one_run_for_a_batch_offers_upgrades_by_the_rule_of_the_wave(
    settings, queue_of, whole_from
):
    """A child who accepted a place in its second choice, keeping waiting for its first,
    is offered its first choice
    when that place is freed by an expiry, and its old place goes on in the same run."""
    settings.SADOK_SWEEP_BATCH = 50
    settings.SADOK_WHOLE_READ_FROM = whole_from
    first_choice = GroupFactory(
        kindergarten=KindergartenFactory(), age_from_months=24, age_to_months=36
    )
    second_choice = GroupFactory(
        kindergarten=KindergartenFactory(), age_from_months=24, age_to_months=36
    )
    for group in (first_choice, second_choice):
        enroll(group, group.capacity - 1)
    with time_machine.travel(DAY0, tick=False):
        ignoring, upgrading = queue_of(
            first_choice.kindergarten, second_choice.kindergarten, count=2
        )
        later = queue_of(second_choice.kindergarten, count=1)[0]
        places_declare(group=first_choice, count=1, user=head_of(first_choice.kindergarten))
        places_declare(
            group=second_choice, count=1, user=head_of(second_choice.kindergarten, "h2@example.com")
        )
    held = Offer.objects.get(child=upgrading)
    assert held.place.group == second_choice
    with time_machine.travel(kyiv(1207, 10), tick=False):
        keep_waiting_set(child=upgrading, keep_waiting=True)  # for its first choice
        offer_accept(offer=held, user=upgrading.guardians.get())

    _sweep(kyiv(1208, 0, 0, 0))  # the first child ignored its offer
    upgrade = Offer.objects.get(child=upgrading, status=OfferStatus.OFFERED)
    assert upgrade.place.group == first_choice
    # Still holding the accepted place until it answers the upgrade (SPEC.md).
    assert Offer.objects.filter(child=upgrading, status=OfferStatus.ACCEPTED).exists()
    assert not Offer.objects.filter(child=later).exists()
    assert Offer.objects.get(child=ignoring).status == OfferStatus.EXPIRED
