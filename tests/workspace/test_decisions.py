"""The district office's decisions (SPEC.md "Privileges", "People"): each moves a
child exactly as the queue rule says, through the door, with its event."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sadok import clock
from sadok.allocation import group_queue
from sadok.applications.models import ClaimStatus, PrivilegeCategory, PrivilegeClaim
from sadok.journal.models import Event, EventKind
from sadok.kindergartens.models import ChangeStatus, GroupChange
from sadok.offers import district, door
from sadok.offers.models import Offer, OfferStatus
from sadok.offers.services import places_declare
from sadok.offers.tasks import daily_run
from sadok.queue.applicants import applicants_for
from sadok.queue.records import queue_records_check
from sadok.queue.selectors import group_spec, queue_read, standings_of
from sadok.workspace.selectors import positions_with_tier
from tests.factories import (
    DistrictFactory,
    GroupFactory,
    KindergartenFactory,
    SpecialisationFactory,
    child_of,
    pdf_bytes,
)
from tests.factories_accounts import head_of, officer_of, verified_parent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("privilege_categories")]

NOW = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)


@pytest.fixture
def city():
    """A three-to-four group with five verified children registered a month apart;
    the second one claims the IDP privilege (tier 3), the last out of turn (tier 1)."""
    with time_machine.travel(NOW, tick=False):
        kindergarten = KindergartenFactory()
        group = GroupFactory(kindergarten=kindergarten, age_from_months=36, age_to_months=48)
        children = []
        for n in range(5):
            parent = verified_parent(f"p{n}@example.com", f"+38050111220{n}")
            children.append(
                child_of(
                    parent,
                    certificate=f"I-КВ {300000 + n}",
                    born=dt.date(2023, 3, 1) + dt.timedelta(days=n),
                    registered_at=NOW - dt.timedelta(days=300 - 30 * n),
                    kindergartens=[kindergarten],
                )
            )
        officer = officer_of(kindergarten.district)
        yield kindergarten, group, children, officer


def _claim(child, code):
    return door.claim_submit(
        child=child,
        user=child.guardians.first(),
        category=PrivilegeCategory.objects.get(code=code),
        document=SimpleUploadedFile("d.pdf", pdf_bytes(), "application/pdf"),
        valid_until=None,
    )


def _order(group):
    return [a.id for a in queue_read(group=group_spec(group), at=clock.today())]


@time_machine.travel(NOW, tick=False)
def test_confirming_moves_the_child_exactly_as_the_rule_says(city):
    kindergarten, group, children, officer = city
    first_idp = _claim(children[1], "idp")
    district.claim_confirm(claim=first_idp, user=officer, valid_until=None)
    chornobyl = _claim(children[4], "chornobyl-1")
    assert _order(group) == [
        children[1].pk,
        children[0].pk,
        children[2].pk,
        children[3].pk,
        children[4].pk,
    ]
    # What the officer is shown before deciding...
    (predicted,) = positions_with_tier(child=children[4], tier=1, today=clock.today())
    assert (predicted.now.place, predicted.then.place) == (5, 1)

    district.claim_confirm(claim=chornobyl, user=officer, valid_until=None)

    # ...is what happens, and is the core's rule over the same children.
    order = _order(group)
    assert order[0] == children[4].pk
    expected = group_queue(
        applicants=applicants_for(kindergartens=[kindergarten.pk], at=clock.today()),
        group=group_spec(group),
        at=clock.today(),
    )
    assert order == [a.id for a in expected]
    (standing,) = standings_of(child=children[4], today=clock.today())
    assert standing.position_now.place == predicted.then.place
    confirmed = Event.objects.filter(kind=EventKind.PRIVILEGE_CONFIRMED, child_id=children[4].pk)
    assert list(confirmed.values_list("actor_role", flat=True)) == ["officer"]
    claimed = Event.objects.get(kind=EventKind.PRIVILEGE_CLAIMED, child_id=children[4].pk)
    assert claimed.data == {"what": 1, "category": "chornobyl-1"}


@time_machine.travel(NOW, tick=False)
def test_rejecting_changes_nothing_but_tells_the_family_why(city, client):
    _kindergarten, group, children, officer = city
    claim = _claim(children[3], "military")
    before = _order(group)
    with pytest.raises(ValidationError, match="пояснення"):
        district.claim_reject(claim=claim, user=officer, reason="document_unreadable", note="  ")
    with pytest.raises(ValidationError, match="зі списку"):
        district.claim_reject(claim=claim, user=officer, reason="document_revoked", note="x")
    district.claim_reject(
        claim=claim, user=officer, reason="document_unreadable", note="Скан нечіткий, подайте ще."
    )
    assert _order(group) == before
    assert not queue_records_check()
    event = Event.objects.get(kind=EventKind.PRIVILEGE_REJECTED)
    assert (event.reason, event.actor_role, event.child_id) == (
        "document_unreadable",
        "officer",
        children[3].pk,
    )
    assert "нечіткий" not in str(event.data)  # the written reason stays with the family
    client.force_login(children[3].guardians.first())
    page = client.get(reverse("cabinet:child", args=[children[3].pk])).content.decode()
    assert "Скан нечіткий, подайте ще." in page
    assert "документ неможливо прочитати" in page
    # Decided once: a second decision is refused, whoever makes it.
    with pytest.raises(ValidationError, match="вже розглянуто"):
        district.claim_confirm(claim=claim, user=officer, valid_until=None)


def test_a_confirmed_claim_falls_back_on_the_day_after_its_end(city):
    _kindergarten, group, children, officer = city
    with time_machine.travel(NOW, tick=False):
        claim = _claim(children[4], "ato")
        district.claim_confirm(claim=claim, user=officer, valid_until=dt.date(2026, 12, 3))
        assert _order(group)[0] == children[4].pk
    with time_machine.travel(dt.datetime(2026, 12, 3, 21, 0, tzinfo=dt.UTC), tick=False):
        # 23:00 in Kyiv on its last day: still in force.
        assert _order(group)[0] == children[4].pk
    with time_machine.travel(dt.datetime(2026, 12, 3, 22, 10, tzinfo=dt.UTC), tick=False):
        # 00:10 in Kyiv the day after: the tier is gone, and the night's run says so.
        assert _order(group)[-1] == children[4].pk
        daily_run()
        claim.refresh_from_db()
        assert claim.status == ClaimStatus.EXPIRED
        ended = Event.objects.get(kind=EventKind.PRIVILEGE_ENDED, child_id=children[4].pk)
        assert (ended.reason, ended.actor_role) == ("document_expired", "system")
        assert _order(group)[-1] == children[4].pk


@time_machine.travel(NOW, tick=False)
def test_ending_a_privilege_early_is_a_correction_with_its_reason(city):
    _kindergarten, group, children, officer = city
    claim = _claim(children[4], "idp")
    district.claim_confirm(claim=claim, user=officer, valid_until=None)
    with pytest.raises(ValidationError):
        district.claim_end(claim=claim, user=officer, reason="document_revoked", note="")
    district.claim_end(
        claim=claim, user=officer, reason="document_revoked", note="Статус ВПО скасовано."
    )
    assert _order(group)[-1] == children[4].pk
    ended = Event.objects.get(kind=EventKind.PRIVILEGE_ENDED)
    assert (ended.reason, ended.actor_role) == ("document_revoked", "officer")
    claim.refresh_from_db()
    assert (claim.status, claim.ended_by) == (ClaimStatus.ENDED, officer)


@time_machine.travel(NOW, tick=False)
def test_only_an_office_of_a_chosen_district_decides(city):
    kindergarten, _group, children, _officer = city
    claim = _claim(children[2], "idp")
    stranger = officer_of(DistrictFactory(slug="elsewhere"))
    head = head_of(kindergarten)
    for who in (stranger, head, children[2].guardians.first()):
        with pytest.raises(PermissionDenied):
            district.claim_confirm(claim=claim, user=who, valid_until=None)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PENDING


@time_machine.travel(NOW, tick=False)
def test_a_referral_offers_an_open_special_place_at_once(city):
    kindergarten, _group, children, officer = city
    speech = SpecialisationFactory(slug="speech", referral="pmpk")
    special = GroupFactory(
        kindergarten=kindergarten,
        kind="special",
        specialisation=speech,
        age_from_months=36,
        age_to_months=60,
        capacity=5,
    )
    places_declare(group=special, count=1, user=None)  # nobody holds a referral yet
    assert not Offer.objects.exists()
    district.referral_record(child=children[3], user=officer, kind="pmpk", valid_until=None)
    offer = Offer.objects.get()
    assert (offer.child_id, offer.status, offer.place.group_id) == (
        children[3].pk,
        OfferStatus.OFFERED,
        special.pk,
    )


@time_machine.travel(NOW, tick=False)
def test_a_group_change_takes_effect_only_after_approval(city, client):
    kindergarten, group, _children, officer = city
    head = head_of(kindergarten)
    client.force_login(head)
    url = reverse("offers:staff-group-edit", args=[kindergarten.number, group.pk])
    data = {
        "name": group.name,
        "kind": "middle",
        "age_from_months": 48,
        "age_to_months": 60,
        "capacity": group.capacity,
        "language": "uk",
    }
    response = client.post(url, data, follow=True)
    assert "на затвердження РУО" in response.content.decode()
    group.refresh_from_db()
    assert (group.age_from_months, group.age_to_months) == (36, 48)  # unchanged
    assert len(_order(group)) == 5  # so is its queue
    change = GroupChange.objects.get(status=ChangeStatus.PENDING)

    # Rejected: nothing changes, and the head reads why on the workspace.
    district.group_change_reject(change=change, user=officer, note="Немає дітей такого віку.")
    group.refresh_from_db()
    assert (group.age_from_months, len(_order(group))) == (36, 5)
    page = client.get(reverse("workspace:kindergarten", args=[kindergarten.number]))
    assert "Немає дітей такого віку." in page.content.decode()

    client.post(url, data)
    change = GroupChange.objects.get(status=ChangeStatus.PENDING)
    with pytest.raises(PermissionDenied):
        district.group_change_approve(change=change, user=head)
    district.group_change_approve(change=change, user=officer)
    group.refresh_from_db()
    assert (group.age_from_months, group.age_to_months, group.kind) == (48, 60, "middle")
    assert _order(group) == []  # the three-year-olds are no longer its queue
    kinds = list(Event.objects.filter(group_id=group.pk).values_list("kind", flat=True))
    assert kinds[-3:] == [
        EventKind.GROUP_REJECTED,
        EventKind.GROUP_APPROVED,
        EventKind.GROUP_CHANGED,
    ]


@time_machine.travel(NOW, tick=False)
def test_the_admin_cannot_change_or_delete_a_decision(city, client):
    from tests.factories_accounts import city_admin

    _kindergarten, _group, children, officer = city
    claim = _claim(children[0], "idp")
    district.claim_confirm(claim=claim, user=officer, valid_until=None)
    client.force_login(city_admin())
    change_url = reverse("admin:applications_privilegeclaim_change", args=[claim.pk])
    page = client.get(change_url)
    assert page.status_code == 200  # read
    assert "Зберегти" not in page.content.decode()
    client.post(change_url, {"status": "rejected"})
    delete = client.post(
        reverse("admin:applications_privilegeclaim_delete", args=[claim.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.CONFIRMED
    assert PrivilegeClaim.objects.filter(pk=claim.pk).exists()


def test_the_family_is_told_ahead_of_time_that_a_privilege_ends(city, client, settings):
    _kindergarten, _group, children, officer = city
    settings.SADOK_PRIVILEGE_EXPIRY_NOTICE_DAYS = 30
    url = reverse("cabinet:child", args=[children[4].pk])
    with time_machine.travel(NOW, tick=False):
        client.force_login(children[4].guardians.first())
        claim = _claim(children[4], "idp")
        district.claim_confirm(claim=claim, user=officer, valid_until=dt.date(2027, 2, 1))
        assert "пільга перестане діяти" not in client.get(url).content.decode()
    with time_machine.travel(dt.datetime(2027, 1, 5, 9, tzinfo=dt.UTC), tick=False):
        client.force_login(children[4].guardians.first())  # a new session, weeks later
        page = client.get(url).content.decode()
        assert "Документ діє до 01.02.2027" in page
        assert "пільга перестане діяти" in page


@time_machine.travel(NOW, tick=False)
def test_a_flag_raised_and_cleared_by_hand_is_explained_to_the_family(city, client):
    _kindergarten, group, children, officer = city
    child = children[2]
    client.force_login(child.guardians.first())
    url = reverse("cabinet:child", args=[child.pk])
    flag = district.flag_raise(
        child=child, user=officer, reason="suspected_fake", note="Свідоцтво не знайдено в ДРАЦС."
    )
    assert child.pk not in _order(group)
    assert "Пояснення РУО: Свідоцтво не знайдено в ДРАЦС." in client.get(url).content.decode()
    district.flag_clear(
        flag=flag, user=officer, reason="checked_not_duplicate", note="Свідоцтво справжнє."
    )
    assert child.pk in _order(group)
    page = client.get(url).content.decode()
    assert "РУО перевірило запис 01.12.2026" in page
    assert "Свідоцтво справжнє." in page
    kinds = Event.objects.filter(child_id=child.pk).order_by("pk").values_list("kind", "reason")
    assert list(kinds)[-2:] == [
        (EventKind.FLAG_RAISED, "suspected_fake"),
        (EventKind.FLAG_RESOLVED, "checked_not_duplicate"),
    ]
