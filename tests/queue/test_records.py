"""The engine reads each child from one queue record; every way a source changes
must reach it (sadok.queue.records.py). The suite also compares all
records with their sources after every database test (tests/conftest.py)."""

import datetime as dt
import threading

import pytest
from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed, email_removed
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.urls import reverse

from sadok.accounts.models import User
from sadok.allocation.model import Tier
from sadok.applications.models import (
    Child,
    ClaimStatus,
    DuplicateFlag,
    PrivilegeCategory,
)
from sadok.offers import door
from sadok.queue.applicants import applicants_for
from sadok.queue.models import QueueRecord
from sadok.queue.records import queue_records_check
from tests.admin_pages import admin_save
from tests.factories import (
    EnrollmentFactory,
    GroupFactory,
    KindergartenFactory,
    child_of,
    claim_of,
)
from tests.factories_accounts import person, verified_parent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("privilege_categories")]
TODAY = dt.date(2026, 11, 27)


def _seen(child, kindergarten, at=TODAY):
    """The child as the engine sees it in the queue of `kindergarten`."""
    return next(
        a for a in applicants_for(kindergartens=[kindergarten.pk], at=at) if a.id == child.pk
    )


@pytest.fixture
def family():
    group = GroupFactory()
    parent = verified_parent("mama@example.com", "+380501112233")
    child = child_of(parent, kindergartens=[group.kindergarten])
    return parent, child, group.kindergarten


def test_the_keep_waiting_switch_in_the_cabinet_reaches_the_engine(client, family):
    parent, child, kindergarten = family
    client.force_login(parent)
    client.post(reverse("cabinet:keep-waiting", args=[child.pk]), {"keep_waiting": "1"})
    assert _seen(child, kindergarten).keep_waiting is True
    client.post(reverse("cabinet:keep-waiting", args=[child.pk]), {})
    assert _seen(child, kindergarten).keep_waiting is False


def test_a_claim_confirmed_in_the_admin_counts_until_it_lapses(family):
    _parent, child, kindergarten = family
    claim = claim_of(child, code="military", confirmed=False, valid_until=dt.date(2026, 12, 31))
    assert _seen(child, kindergarten).tier == Tier.NONE  # pending
    claim.status = ClaimStatus.CONFIRMED
    admin_save(claim)
    assert _seen(child, kindergarten).tier == Tier.FIRST_PRIORITY
    assert _seen(child, kindergarten, at=dt.date(2027, 1, 1)).tier == Tier.NONE


def test_a_category_moved_to_another_tier_moves_its_children(family):
    _parent, child, kindergarten = family
    category = PrivilegeCategory.objects.get(code="idp")
    claim_of(child, code="idp")
    assert _seen(child, kindergarten).tier == Tier.GUARANTEED
    category.tier = PrivilegeCategory.Tier.OUT_OF_TURN
    admin_save(category)
    assert _seen(child, kindergarten).tier == Tier.OUT_OF_TURN


def test_contacts_verified_later_bring_the_child_into_the_clean_queue():
    group = GroupFactory()
    parent = person("tato@example.com")  # e-mail verified, phone not yet
    child = child_of(parent, kindergartens=[group.kindergarten])
    assert _seen(child, group.kindergarten).verified is False
    get_adapter().set_phone(parent, "+380671234567", True)  # allauth's phone verification
    assert _seen(child, group.kindergarten).verified is True
    user = User.objects.get(pk=parent.pk)
    _admin_saves_user_unverified(user)
    assert _seen(child, group.kindergarten).verified is False


def _admin_saves_user_unverified(user):
    user.phone_verified = False  # the city administrator unticks it in the admin
    admin_save(user)


def test_allauths_e_mail_hooks_reach_the_record():
    group = GroupFactory()
    parent = verified_parent("tato@example.com", "+380671234567")
    child = child_of(parent, kindergartens=[group.kindergarten])
    address = EmailAddress.objects.filter(user=parent).get()
    address.remove()  # as allauth's "remove e-mail" does, then its hook
    email_removed.send(sender=EmailAddress, request=None, user=parent, email_address=address)
    assert _seen(child, group.kindergarten).verified is False
    address = EmailAddress.objects.create(user=parent, email="new@example.com", verified=True)
    email_confirmed.send(sender=EmailAddress, request=None, email_address=address)
    assert _seen(child, group.kindergarten).verified is True


def test_a_flag_and_an_enrollment_reach_the_engine(family):
    parent, child, kindergarten = family
    other = child_of(
        parent, certificate="I-КВ 100002", first_name="Олена", kindergartens=[kindergarten]
    )
    flag = DuplicateFlag(
        child=other, similar_to=child, reason="twins?", created_at=dt.datetime.now(dt.UTC)
    )
    admin_save(flag)
    assert _seen(other, kindergarten).flagged is True
    flag.status = "cleared"
    admin_save(flag)
    assert _seen(other, kindergarten).flagged is False
    EnrollmentFactory(group__kindergarten=kindergarten, child=child)
    assert _seen(child, kindergarten).enrolled_in == kindergarten.pk


def test_a_deleted_child_leaves_no_record(family):
    _, child, _ = family
    child.delete()
    assert not QueueRecord.objects.filter(child_id=child.pk).exists()


def test_the_check_command_finds_a_record_edited_by_hand_and_rebuild_mends_it(family):
    _, child, _ = family
    Child.objects.filter(pk=child.pk).update(keep_waiting=True)  # bypasses the services
    assert queue_records_check() == [child.pk]
    with pytest.raises(CommandError, match="1 queue records differ"):
        call_command("queue_records")
    call_command("queue_records", "--rebuild")
    assert queue_records_check() == []


def test_a_flag_moved_to_another_child_refreshes_both_records(family):
    parent, child, kindergarten = family
    twin = child_of(
        parent, certificate="I-КВ 100002", first_name="Олена", kindergartens=[kindergarten]
    )
    other = child_of(
        parent, certificate="I-КВ 100003", first_name="Іван", kindergartens=[kindergarten]
    )
    flag = DuplicateFlag(
        child=twin, similar_to=other, reason="?", created_at=dt.datetime.now(dt.UTC)
    )
    admin_save(flag)
    flag.child = child  # an officer corrects the flag in the admin
    admin_save(flag)
    assert (_seen(twin, kindergarten).flagged, _seen(child, kindergarten).flagged) == (False, True)


def test_records_missing_after_an_upgrade_are_written_by_migrate(family):
    _, child, _ = family
    QueueRecord.objects.all().delete()  # as on a database from before the records
    call_command("migrate", verbosity=0)
    assert QueueRecord.objects.filter(pk=child.pk).exists()
    assert queue_records_check() == []


def _until_blocked_or(done):
    """Return when `done` is set or another session waits for a lock (pg_locks is
    live; pg_stat_activity would be one snapshot for the whole transaction)."""
    with connection.cursor() as cursor:
        for _ in range(1000):
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0] or done.wait(0.01):
                return
    raise AssertionError("the parent's change neither finished nor waited for the lock")


@pytest.mark.django_db(transaction=True)
def test_an_officer_and_a_parent_changing_one_child_at_once_lose_nothing(privilege_categories):
    """The officer confirms a claim in the admin while the parent adds a kindergarten:
    the record ends with both (the refresh locks the child first)."""
    group, second = GroupFactory(), KindergartenFactory()
    parent = verified_parent("mama@example.com", "+380501112233")
    child = child_of(parent, kindergartens=[group.kindergarten])
    claim = claim_of(child, code="military", confirmed=False)
    confirmed, added = threading.Event(), threading.Event()
    errors = []

    def officer():
        try:
            with transaction.atomic():
                claim.status = ClaimStatus.CONFIRMED
                admin_save(claim)
                confirmed.set()
                # Commit only once the parent's change has finished (no lock) or waits
                # for this transaction's lock on the child (the refresh locks it).
                _until_blocked_or(added)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    def family_adds():
        try:
            confirmed.wait(5)
            door.choice_add(child=child, kindergarten=second)
        except Exception as error:
            errors.append(error)
        finally:
            added.set()
            connection.close()

    threads = [threading.Thread(target=officer), threading.Thread(target=family_adds)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    seen = _seen(child, second)
    assert (seen.tier, seen.choices) == (Tier.FIRST_PRIORITY, (group.kindergarten.pk, second.pk))
    assert queue_records_check() == []


def test_the_daily_audit_rewrites_a_stale_record_and_reports_it(family, caplog):
    from sadok.queue.records import queue_records_audit

    _, child, kindergarten = family
    Child.objects.filter(pk=child.pk).update(keep_waiting=True)  # a hand edit
    assert queue_records_audit() == [child.pk]
    assert _seen(child, kindergarten).keep_waiting is True
    assert f"ids [{child.pk}]" in caplog.text
    assert child.last_name not in caplog.text  # ids only, no personal data
    assert queue_records_audit() == []
