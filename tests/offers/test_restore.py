"""Restoring a registration date from the old system's queue (issue: a family first
registered in Sadok could not bring in its older date)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from sadok import clock
from sadok.applications.models import LegacyRecord
from sadok.journal.models import Event, EventKind
from sadok.offers.restore import date_restore
from sadok.queue.models import QueueRecord
from tests.factories import DistrictFactory, KindergartenFactory, child_of
from tests.factories_accounts import officer_of, person

pytestmark = pytest.mark.django_db

BORN = dt.date(2023, 2, 1)
OLD = dt.date(2023, 3, 15)


@pytest.fixture
def family():
    kindergarten = KindergartenFactory(number=7)
    parent = person("parent@example.com")
    child = child_of(parent, born=BORN, certificate="I-КВ 123456", kindergartens=[kindergarten])
    LegacyRecord.objects.create(
        qid="Q-1001",
        certificate_key=child.certificate_key,
        born=BORN,
        registered_on=OLD,
        kindergarten_numbers=[7],
    )
    return parent, child, kindergarten


def _day(moment):
    return moment.astimezone(clock.KYIV).date()


def test_a_matching_old_record_gives_the_child_its_older_date_as_an_event(family):
    parent, child, _ = family
    done = date_restore(child=child, user=parent, qid=" Q-1001 ", registered_on=OLD)
    assert done.moved
    child.refresh_from_db()
    assert _day(child.registered_at) == OLD
    assert _day(QueueRecord.objects.get(child=child).registered_at) == OLD
    event = Event.objects.get(kind=EventKind.DATE_RESTORED, child_id=child.pk)
    assert event.reason == "old_system_date"
    assert event.actor_role == "parent"
    assert LegacyRecord.objects.get().claimed_by == child


@pytest.mark.parametrize(
    "record",
    [
        {"qid": "Q-9999"},  # no such record
        {"registered_on": dt.date(2023, 3, 14)},  # a date typed freely
        {"certificate_key": "UA:I-КВ:654321"},  # another child's record
        {"born": dt.date(2023, 2, 2)},  # another child's record
    ],
)
def test_a_restore_without_a_matching_old_record_is_refused_and_changes_nothing(family, record):
    parent, child, _ = family
    LegacyRecord.objects.all().delete()
    LegacyRecord.objects.create(
        **{
            "qid": "Q-1001",
            "certificate_key": child.certificate_key,
            "born": BORN,
            "registered_on": OLD,
            **record,
        }
    )
    before = child.registered_at
    with pytest.raises(ValidationError) as refused:
        date_restore(child=child, user=parent, qid="Q-1001", registered_on=OLD)
    assert refused.value.code == "legacy_mismatch"
    child.refresh_from_db()
    assert child.registered_at == before
    assert not Event.objects.filter(kind=EventKind.DATE_RESTORED).exists()
    assert LegacyRecord.objects.get().claimed_by is None


def test_the_earlier_date_wins(family):
    parent, child, _ = family
    earlier = dt.datetime(2022, 6, 1, 9, tzinfo=clock.KYIV)
    type(child).objects.filter(pk=child.pk).update(registered_at=earlier)
    done = date_restore(child=child, user=parent, qid="Q-1001", registered_on=OLD)
    assert not done.moved
    child.refresh_from_db()
    assert child.registered_at == earlier
    assert LegacyRecord.objects.get().claimed_by == child  # used, so nobody else uses it


def test_an_old_record_is_used_once(family):
    parent, child, _ = family
    date_restore(child=child, user=parent, qid="Q-1001", registered_on=OLD)
    with pytest.raises(ValidationError) as again:
        date_restore(child=child, user=parent, qid="Q-1001", registered_on=OLD)
    assert again.value.code == "legacy_restored"


def test_only_the_family_or_the_childs_district_office_may_restore(family):
    _, child, kindergarten = family
    with pytest.raises(PermissionDenied):
        date_restore(
            child=child, user=person("stranger@example.com"), qid="Q-1001", registered_on=OLD
        )
    with pytest.raises(PermissionDenied):
        date_restore(
            child=child,
            user=officer_of(DistrictFactory(slug="elsewhere")),
            qid="Q-1001",
            registered_on=OLD,
            as_officer=True,
        )
    officer = officer_of(kindergarten.district)
    date_restore(child=child, user=officer, qid="Q-1001", registered_on=OLD, as_officer=True)
    assert Event.objects.get(kind=EventKind.DATE_RESTORED).actor_role == "officer"


def test_the_family_restores_from_the_child_page(client, family):
    parent, child, _ = family
    client.force_login(parent)
    url = reverse("cabinet:date-restore", args=[child.pk])
    assert client.get(reverse("cabinet:child", args=[child.pk])).content.decode().count(url) == 1
    response = client.post(url, {"qid": "Q-1001", "registered_on": "15.03.2023"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Дату реєстрації відновлено" in page
    wrong = client.post(url, {"qid": "Q-1001", "registered_on": "16.03.2023"})
    assert "немає запису з таким Qid" in wrong.content.decode()


def test_the_qid_transfer_of_a_child_already_in_the_cabinet_restores_its_date(client, family):
    """The old page refused with "already registered… use the Qid transfer", the
    page the family was on."""
    parent, child, _ = family
    client.force_login(parent)
    response = client.post(
        reverse("cabinet:legacy"),
        {
            "qid": "Q-1001",
            "registered_on": "2023-03-15",
            "certificate_kind": "ua",
            "certificate": "I-КВ 123456",
            "last_name": "Шевченко",
            "first_name": "Марко",
        },
    )
    assert response["Location"] == reverse("cabinet:child", args=[child.pk])
    child.refresh_from_db()
    assert _day(child.registered_at) == OLD


def test_the_qid_transfer_of_another_accounts_child_offers_to_ask_the_office(client, family):
    client.force_login(person("real-mother@example.com"))
    response = client.post(
        reverse("cabinet:legacy"),
        {
            "qid": "Q-1001",
            "registered_on": "2023-03-15",
            "certificate_kind": "ua",
            "certificate": "I-КВ 123456",
            "last_name": "Шевченко",
            "first_name": "Марко",
        },
    )
    page = response.content.decode()
    assert reverse("cabinet:transfer-request") in page
    assert LegacyRecord.objects.get().claimed_by is None
