"""Two district officers deciding the same thing at once, on PostgreSQL: one
decision stands, the other is told it is already decided."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from sadok.applications.models import ClaimStatus, PrivilegeCategory, PrivilegeClaim
from sadok.journal.models import Event, EventKind
from sadok.kindergartens.models import ChangeStatus, Group, GroupChange
from sadok.offers import district, door
from tests.factories import GroupFactory, KindergartenFactory, child_of, pdf_bytes
from tests.factories_accounts import officer_of, verified_parent
from tests.offers.test_races import _together

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("privilege_categories"),
]

NOW = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)


@pytest.fixture
def office():
    with time_machine.travel(NOW, tick=False):
        kindergarten = KindergartenFactory()
        group = GroupFactory(kindergarten=kindergarten, age_from_months=36, age_to_months=48)
        parent = verified_parent("p@example.com", "+380501112299")
        child = child_of(parent, born=dt.date(2023, 3, 1), kindergartens=[kindergarten])
        claim = door.claim_submit(
            child=child,
            user=parent,
            category=PrivilegeCategory.objects.get(code="idp"),
            document=SimpleUploadedFile("d.pdf", pdf_bytes(), "application/pdf"),
            valid_until=None,
        )
        first = officer_of(kindergarten.district, "one@example.com")
        second = officer_of(kindergarten.district, "two@example.com")
        return kindergarten, group, claim, first, second


def test_a_claim_confirmed_and_rejected_at_once_is_decided_once(office):
    _kindergarten, _group, claim, first, second = office
    outcomes = _together(
        lambda: district.claim_confirm(claim=claim, user=first, valid_until=None),
        lambda: district.claim_reject(
            claim=claim, user=second, reason="document_unreadable", note="нечітко"
        ),
    )
    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"]
    claim = PrivilegeClaim.objects.get(pk=claim.pk)
    decided = Event.objects.filter(
        kind__in=(EventKind.PRIVILEGE_CONFIRMED, EventKind.PRIVILEGE_REJECTED)
    )
    assert decided.count() == 1
    assert claim.status == (
        ClaimStatus.CONFIRMED
        if decided.get().kind == EventKind.PRIVILEGE_CONFIRMED
        else ClaimStatus.REJECTED
    )


def test_a_group_change_approved_twice_at_once_applies_once(office):
    kindergarten, group, _claim, first, second = office
    change = GroupChange.objects.create(
        kindergarten=kindergarten,
        group=None,
        name="нова",
        kind="middle",
        age_from_months=48,
        age_to_months=60,
        capacity=10,
        proposed_at=NOW,
    )
    outcomes = _together(
        lambda: district.group_change_approve(change=change, user=first),
        lambda: district.group_change_approve(change=change, user=second),
    )
    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"]
    assert Group.objects.filter(kindergarten=kindergarten, name="нова").count() == 1
    assert GroupChange.objects.get(pk=change.pk).status == ChangeStatus.APPROVED
    assert group.pk != Group.objects.get(name="нова").pk
