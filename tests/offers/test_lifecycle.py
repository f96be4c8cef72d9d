"""The whole offer cycle with the clock moved (SPEC.md "Group formation")."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from sadok import clock
from sadok.applications.models import Child, ChildStatus, Choice
from sadok.kindergartens.models import Enrollment
from sadok.notifications.models import Message
from sadok.offers.calendar import add_working_days, is_working_day
from sadok.offers.lifecycle import (
    deadlines_process,
    documents_confirm,
    documents_extend,
    enrollment_release,
    offer_accept,
    offer_decline,
)
from sadok.offers.models import Offer, OfferStatus, Place, PlaceStatus, Rules
from sadok.offers.policies import Denied, Refused
from sadok.offers.services import places_declare
from sadok.offers.states import TransitionRefused
from tests.factories_accounts import head_of, person

pytestmark = pytest.mark.django_db
# Friday 27 November 2026, 10:00 in Kyiv.
DAY0 = dt.datetime(2026, 11, 27, 10, tzinfo=clock.KYIV)


def kyiv(day, hour=12, minute=0, second=0):
    return dt.datetime(2026, day // 100, day % 100, hour, minute, second, tzinfo=clock.KYIV)


def _sweep(at):
    with time_machine.travel(at, tick=False):
        return deadlines_process()


def _messages(child, kind):
    return Message.objects.filter(user__guardianships__child=child, kind=kind).count()


def test_the_whole_cycle_with_the_clock_moved(nursery, queue_of):
    with time_machine.travel(DAY0, tick=False):
        first, second = queue_of(nursery.kindergarten, count=2)
        head = head_of(nursery.kindergarten)
        places_declare(group=nursery, count=1, user=head)
    offer = Offer.objects.get()
    assert offer.child == first
    assert offer.answer_by == kyiv(1207, 23, 59, 59)  # day 10, end of the Kyiv day
    assert _messages(first, "offer_made") == 1

    # The reminder goes out once, on day 7 (three days before the last day).
    assert _sweep(kyiv(1203, 23)).reminded == []
    assert _sweep(kyiv(1204, 9, 5)).reminded == [offer.pk]
    assert _sweep(kyiv(1204, 15)).reminded == []
    assert _messages(first, "offer_reminder") == 1

    # No answer: still open at 23:59:59 of day 10, expired a second later.
    assert _sweep(kyiv(1207, 23, 59, 59)).expired == []
    report = _sweep(kyiv(1208, 0, 0, 0))
    assert report.expired == [offer.pk]
    offer.refresh_from_db()
    first.refresh_from_db()
    assert offer.status == OfferStatus.EXPIRED
    assert first.status == ChildStatus.DEACTIVATED
    assert first.registered_at is not None  # kept
    assert _messages(first, "offer_expired") == 1

    # The place went on to the next child at once.
    second_offer = Offer.objects.get(child=second)
    assert second_offer.place == offer.place
    assert second_offer.made_at == kyiv(1208, 0)

    # Accepted on Wednesday 9 December: five working days → Wednesday 16 December.
    with time_machine.travel(kyiv(1209, 11), tick=False):
        offer_accept(offer=second_offer, user=second.guardians.get())
    second_offer.refresh_from_db()
    assert second_offer.documents_by == kyiv(1216, 23, 59, 59)
    assert _messages(second, "offer_accepted") == 1
    # Extended once: five more working days over a weekend → Wednesday 23 December.
    with time_machine.travel(kyiv(1215, 11), tick=False):
        documents_extend(offer=second_offer, user=second.guardians.get())
    second_offer.refresh_from_db()
    assert second_offer.documents_by == kyiv(1223, 23, 59, 59)
    assert _sweep(kyiv(1218, 12)).documents_missed == []

    with time_machine.travel(kyiv(1222, 10), tick=False):
        enrollment = documents_confirm(offer=second_offer, user=head)
    assert enrollment.child == second
    assert enrollment.enrolled_by == head
    assert enrollment.group == nursery
    assert Place.objects.get().status == PlaceStatus.FILLED
    assert Offer.objects.get(pk=second_offer.pk).status == OfferStatus.ENROLLED
    assert _messages(second, "child_enrolled") == 1
    # Running the sweep again changes nothing.
    assert _sweep(kyiv(1231, 12)).expired == []


def test_missed_documents_deactivate_and_reoffer(nursery, queue_of):
    with time_machine.travel(DAY0, tick=False):
        first, second = queue_of(nursery.kindergarten, count=2)
        places_declare(group=nursery, count=1, user=None)
        offer_accept(offer=Offer.objects.get(), user=first.guardians.get())
    # Accepted Friday 27 November: 5 working days → Friday 4 December.
    assert Offer.objects.get().documents_by == kyiv(1204, 23, 59, 59)
    report = _sweep(kyiv(1205, 0, 0, 1))
    assert len(report.documents_missed) == 1
    first.refresh_from_db()
    assert first.status == ChildStatus.DEACTIVATED
    assert Offer.objects.get(child=second).status == OfferStatus.OFFERED


def test_declining_moves_the_place_on_and_drops_that_kindergarten_only(nursery, queue_of):
    from tests.factories import KindergartenFactory

    other = KindergartenFactory()
    with time_machine.travel(DAY0, tick=False):
        first, second = queue_of(nursery.kindergarten, other, count=2)
        places_declare(group=nursery, count=1, user=None)
        offer_decline(offer=Offer.objects.get(child=first), user=first.guardians.get())
    assert list(Choice.objects.filter(child=first).values_list("kindergarten", "rank")) == [
        (other.pk, 1)
    ]
    assert Child.objects.get(pk=first.pk).status == ChildStatus.ACTIVE
    assert Offer.objects.get(child=second).status == OfferStatus.OFFERED


def test_a_leaving_child_frees_the_place_for_the_next_offer(nursery, queue_of):
    with time_machine.travel(DAY0, tick=False):
        (waiting,) = queue_of(nursery.kindergarten)
        nursery.capacity = 10  # full: ten children attend
        nursery.save()
        run = enrollment_release(
            enrollment=Enrollment.objects.filter(group=nursery).first(),
            user=head_of(nursery.kindergarten),
            reason="сім'я переїхала",
        )
    assert run.summary["offers"] == 1
    assert Offer.objects.get().child == waiting


@pytest.mark.parametrize("who", ["stranger", "twice"])
def test_bad_answers_are_refused_and_change_nothing(nursery, queue_of, who):
    with time_machine.travel(DAY0, tick=False):
        (first,) = queue_of(nursery.kindergarten)
        places_declare(group=nursery, count=1, user=None)
        offer = Offer.objects.get()
        if who == "stranger":
            with pytest.raises(TransitionRefused, match="не пропозиція для вашої дитини"):
                offer_accept(offer=offer, user=person("stranger@example.com"))
            assert Offer.objects.get().status == OfferStatus.OFFERED
        else:
            offer_accept(offer=offer, user=first.guardians.get())
            with pytest.raises(TransitionRefused, match="вже прийнято"):
                offer_accept(offer=offer, user=first.guardians.get())
            with pytest.raises(TransitionRefused, match="вже прийнято"):
                offer_decline(offer=offer, user=first.guardians.get())


def test_extending_twice_or_late_is_refused(nursery, queue_of):
    with time_machine.travel(DAY0, tick=False):
        (first,) = queue_of(nursery.kindergarten)
        places_declare(group=nursery, count=1, user=None)
        offer = Offer.objects.get()
        parent = first.guardians.get()
        with pytest.raises(TransitionRefused, match="лише строк прийнятої"):
            documents_extend(offer=offer, user=parent)
        offer_accept(offer=offer, user=parent)
        documents_extend(offer=offer, user=parent)
        with pytest.raises(TransitionRefused, match="один раз"):
            documents_extend(offer=offer, user=parent)
    late = Offer.objects.get()
    Offer.objects.filter(pk=late.pk).update(extended_at=None)
    with (
        time_machine.travel(kyiv(1231), tick=False),
        pytest.raises(TransitionRefused, match="минув"),
    ):
        documents_extend(offer=late, user=parent)


def test_documents_for_a_declined_offer_cannot_be_confirmed(nursery, queue_of):
    with time_machine.travel(DAY0, tick=False):
        (first,) = queue_of(nursery.kindergarten)
        places_declare(group=nursery, count=1, user=None)
        offer = Offer.objects.get()
        offer_decline(offer=offer, user=first.guardians.get())
        with pytest.raises(TransitionRefused, match="відмовилися"):
            documents_confirm(offer=offer, user=head_of(nursery.kindergarten))
    assert not Enrollment.objects.filter(child=first).exists()


@pytest.mark.parametrize("who", ["another head", "the district office", "the family"])
def test_only_the_head_of_the_kindergarten_confirms_documents_or_takes_a_child_off(
    nursery, queue_of, who
):
    from tests.factories import GroupFactory
    from tests.factories_accounts import officer_of

    with time_machine.travel(DAY0, tick=False):
        (first,) = queue_of(nursery.kindergarten)
        places_declare(group=nursery, count=1, user=None)
        offer = Offer.objects.get()
        offer_accept(offer=offer, user=first.guardians.get())
        actor = {
            "another head": lambda: head_of(GroupFactory().kindergarten, "other@example.com"),
            "the district office": lambda: officer_of(nursery.kindergarten.district),
            "the family": lambda: first.guardians.get(),
        }[who]()
        with pytest.raises(Refused) as refused:
            documents_confirm(offer=offer, user=actor)
        assert refused.value.reason == Denied.NOT_HEAD
        with pytest.raises(Refused):
            enrollment_release(
                enrollment=Enrollment.objects.filter(group=nursery).first(),
                user=actor,
                reason="?",
            )
        with pytest.raises(Refused):
            places_declare(group=nursery, count=1, user=actor)
    assert Offer.objects.get().status == OfferStatus.ACCEPTED
    assert Enrollment.objects.filter(group=nursery, ended_on__isnull=True).count() == 10
    assert Place.objects.count() == 1


def test_accepting_after_the_deadline_is_refused_even_before_the_sweep(nursery, queue_of):
    with time_machine.travel(DAY0, tick=False):
        (first,) = queue_of(nursery.kindergarten)
        places_declare(group=nursery, count=1, user=None)
    with (
        time_machine.travel(kyiv(1208, 0, 0, 1), tick=False),
        pytest.raises(TransitionRefused, match="минув"),
    ):
        offer_accept(offer=Offer.objects.get(), user=first.guardians.get())


def test_each_offer_keeps_the_rules_it_was_made_under(nursery, queue_of):
    with time_machine.travel(DAY0, tick=False):
        queue_of(nursery.kindergarten, count=2)
        places_declare(group=nursery, count=1, user=None)
        Rules.objects.create(
            answer_days=5, reminder_days=2, documents_working_days=3, extension_working_days=2
        )
        places_declare(group=nursery, count=1, user=None)
    old, new = Offer.objects.order_by("pk")
    assert old.answer_by == kyiv(1207, 23, 59, 59)
    assert new.answer_by == kyiv(1202, 23, 59, 59)
    assert (old.documents_working_days, new.documents_working_days) == (5, 3)


def test_process_deadlines_command_with_at_and_dry_run(nursery, queue_of, capsys):
    with time_machine.travel(DAY0, tick=False):
        queue_of(nursery.kindergarten)
        places_declare(group=nursery, count=1, user=None)
    call_command("process_deadlines", "--at", "2026-12-08T00:00:01", "--dry-run")
    assert "due (dry run): 0 reminders, 1 offers expired" in capsys.readouterr().out
    assert Offer.objects.get().status == OfferStatus.OFFERED
    call_command("process_deadlines", "--at", "2026-12-08T00:00:01+02:00")
    assert Offer.objects.get().status == OfferStatus.EXPIRED
    call_command("process_deadlines", "--at", "2026-12-08T00:00:01+02:00")
    assert "0 offers expired" in capsys.readouterr().out.splitlines()[-1]


def test_working_days_skip_weekends_and_ukrainian_holidays():
    # Friday + 1 working day = Monday.
    assert add_working_days(dt.date(2026, 11, 27), 1) == dt.date(2026, 11, 30)
    assert add_working_days(dt.date(2026, 11, 27), 5) == dt.date(2026, 12, 4)
    # 2021: Christmas (7 January) and its substituted day off (8 January) are not
    # working days in the `holidays` package's Ukrainian calendar.
    assert not is_working_day(dt.date(2021, 1, 7))
    assert not is_working_day(dt.date(2021, 1, 8))
    assert add_working_days(dt.date(2021, 1, 6), 1) == dt.date(2021, 1, 11)
    # Under martial law the package lists no days off: 25 December 2026 is a Friday
    # like any other.
    assert is_working_day(dt.date(2026, 12, 25))


def test_a_release_reason_longer_than_the_column_is_refused_not_a_500(nursery):
    with pytest.raises(TransitionRefused, match="255"):
        enrollment_release(
            enrollment=Enrollment.objects.filter(group=nursery).first(),
            user=head_of(nursery.kindergarten),
            reason="x" * 300,
        )
    assert Enrollment.objects.filter(group=nursery, ended_on__isnull=True).count() == 10
