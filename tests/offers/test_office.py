"""Registration at the district office (SPEC.md "People", "Privileges";
docs/queue-rules.md): what a family and an officer would notice."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from sadok import clock
from sadok.applications.certificates import parse_ukrainian
from sadok.applications.models import ClaimStatus, DecisionReason, GuardianInvitation
from sadok.applications.services import CertificateTaken, NewChild, invitation_create
from sadok.journal.models import Event, EventKind
from sadok.notifications.models import Channel, Delivery, Message
from sadok.offers import door
from sadok.offers.contacts import Contacts
from sadok.offers.models import Offer, OfferStatus
from sadok.offers.office import child_register_at_office, office_code_renew
from sadok.offers.policies import Refused, may_decide_for_child
from sadok.offers.services import places_declare
from sadok.queue.selectors import group_spec, queue_read
from sadok.workspace.selectors import children_in, district_counts
from tests.factories import (
    DistrictFactory,
    GroupFactory,
    KindergartenFactory,
    SpecialisationFactory,
    child_of,
)
from tests.factories_accounts import officer_of, person, verified_parent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("privilege_categories")]

NOW = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)
BORN = dt.date(2023, 3, 1)


@pytest.fixture
def office():
    """A district with a three-to-four group, its officer, and a verified child who
    has waited there for a year."""
    with time_machine.travel(NOW, tick=False):
        kindergarten = KindergartenFactory()
        group = GroupFactory(kindergarten=kindergarten, age_from_months=36, age_to_months=48)
        early = child_of(
            verified_parent("early@example.com", "+380501112201"),
            certificate="I-КВ 300001",
            born=BORN,
            registered_at=NOW - dt.timedelta(days=365),
            kindergartens=[kindergarten],
        )
        yield kindergarten, group, officer_of(kindergarten.district), early


def _register(officer, kindergarten, *, basis="idp", certificate="I-КВ 400001", **extra):
    extra.setdefault("contacts", Contacts(email="olena@example.com", phone="+380671234567"))
    return child_register_at_office(
        officer=officer,
        district=kindergarten.district,
        data=NewChild("Коваленко", "Оксана", "", BORN, parse_ukrainian(certificate)),
        basis=basis,
        valid_until=None,
        kindergartens=[kindergarten],
        **extra,
    )


def _order(group):
    return [a.id for a in queue_read(group=group_spec(group), at=clock.today())]


@time_machine.travel(NOW, tick=False)
def test_an_idp_child_registered_at_the_office_is_in_the_guaranteed_tier_at_once(office):
    kindergarten, group, officer, early = office
    issued = _register(officer, kindergarten, document="довідка ВПО № 1234")
    child = issued.child
    claim = child.claims.get()
    assert (claim.status, claim.category.code, claim.document.name) == (
        ClaimStatus.CONFIRMED,
        "idp",
        "",
    )
    assert (claim.submitted_by, claim.decided_by) == (officer, officer)
    assert claim.decision_reason == DecisionReason.REGISTERED_AT_OFFICE
    assert child.registered_at == NOW
    assert child.registered_by_office == kindergarten.district
    # The privilege puts the newcomer ahead of the child that waited a year, with no
    # family attached yet: the office checked the documents in person.
    assert _order(group) == [child.pk, early.pk]
    registered = Event.objects.get(kind=EventKind.REGISTERED, child_id=child.pk)
    assert registered.reason == DecisionReason.REGISTERED_AT_OFFICE


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("kind", ["pmpk", "lkk"])
def test_a_referral_makes_the_child_eligible_for_the_matching_special_group(office, kind):
    kindergarten, group, officer, early = office
    SpecialisationFactory(slug="speech", referral="pmpk")
    sanatorium = SpecialisationFactory(slug="sanatorium", name="санаторна", referral="lkk")
    special = GroupFactory(
        kindergarten=kindergarten,
        kind="special",
        specialisation=sanatorium if kind == "lkk" else SpecialisationFactory(slug="speech"),
        age_from_months=36,
        age_to_months=60,
        capacity=5,
    )
    child = _register(officer, kindergarten, basis=kind).child
    assert child.referrals.get().kind == kind
    assert not child.claims.exists()
    assert _order(special) == [child.pk]
    assert _order(group) == [early.pk, child.pk]


@time_machine.travel(NOW, tick=False)
def test_a_certificate_already_registered_is_refused_with_a_sentence(office):
    kindergarten, _group, officer, _early = office
    with pytest.raises(CertificateTaken, match="уже зареєстровано"):
        _register(officer, kindergarten, certificate="I-КВ 300001")
    assert not GuardianInvitation.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_only_an_officer_of_the_district_registers(office):
    kindergarten, _group, _officer, _early = office
    for outsider in (officer_of(DistrictFactory(slug="elsewhere")), person("p@example.com")):
        with pytest.raises(Refused):
            _register(outsider, kindergarten)
    assert not GuardianInvitation.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_the_office_sees_its_registration_before_it_chose_there(office):
    kindergarten, _group, officer, _early = office
    elsewhere = KindergartenFactory(district=DistrictFactory(slug="elsewhere"))
    child = child_register_at_office(
        officer=officer,
        district=kindergarten.district,
        data=NewChild("Коваленко", "Оксана", "", BORN, parse_ukrainian("I-КВ 400002")),
        basis="idp",
        valid_until=None,
        kindergartens=[elsewhere],
        contacts=Contacts(),
    ).child
    assert may_decide_for_child(user=officer, child_id=child.pk)
    assert children_in(district=kindergarten.district).filter(pk=child.pk).exists()
    counts = district_counts(district=kindergarten.district)
    assert (counts.registered, counts.unattached) == (1, 1)


@time_machine.travel(NOW, tick=False)
def test_the_code_goes_to_the_outbox_without_the_childs_name(office):
    kindergarten, _group, officer, _early = office
    issued = _register(officer, kindergarten)
    deliveries = {d.channel: d for d in Delivery.objects.all()}
    assert set(deliveries) == {Channel.EMAIL, Channel.SMS}
    assert deliveries[Channel.EMAIL].address == "olena@example.com"
    assert deliveries[Channel.SMS].address == "+380671234567"
    for delivery in deliveries.values():
        assert issued.code in delivery.body
        assert "Оксана" not in delivery.body
        assert "Коваленко" not in delivery.body
    # The officer sees where it went, masked; only the code's hash is kept.
    invitation = GuardianInvitation.objects.get()
    assert invitation.sent_to == "o•••@example.com, +380 •• ••• •• 67"
    assert issued.code not in invitation.code_hash
    assert not Message.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_the_family_attaches_the_child_with_its_date_choices_and_privilege(office):
    kindergarten, group, officer, early = office
    issued = _register(officer, kindergarten)
    with time_machine.travel(NOW + dt.timedelta(days=5), tick=False):
        parent = verified_parent("olena@example.com", "+380671234567")
        child = door.invitation_accept(code=issued.code.lower(), user=parent)
        assert child.pk == issued.child.pk
        child.refresh_from_db()
        assert child.registered_at == NOW
        assert [c.kindergarten for c in child.choices.all()] == [kindergarten]
        assert child.claims.get().status == ClaimStatus.CONFIRMED
        assert list(parent.children.all()) == [child]
        assert _order(group) == [child.pk, early.pk]
        # Used up: the code attaches once.
        stranger = person("stranger@example.com")
        with pytest.raises(ValidationError, match="Код недійсний або застарів"):
            door.invitation_accept(code=issued.code, user=stranger)
        # Attached: the office gives no more codes; the family invites its own.
        with pytest.raises(ValidationError, match="вже додала"):
            office_code_renew(
                officer=officer, district=kindergarten.district, child=child, contacts=Contacts()
            )
        door.invitation_accept(code=invitation_create(child=child, user=parent), user=stranger)
        assert child.guardians.count() == 2


@time_machine.travel(NOW, tick=False)
def test_an_expired_code_is_refused(office):
    kindergarten, _group, officer, _early = office
    issued = _register(officer, kindergarten)
    late = person("late@example.com")
    with (
        time_machine.travel(NOW + dt.timedelta(days=31), tick=False),
        pytest.raises(ValidationError, match="Код недійсний або застарів"),
    ):
        door.invitation_accept(code=issued.code, user=late)
    assert not issued.child.guardianships.exists()


@time_machine.travel(NOW, tick=False)
def test_a_new_code_stops_the_old_one_and_goes_where_the_old_one_went(office):
    kindergarten, _group, officer, _early = office
    first = _register(officer, kindergarten)
    second = office_code_renew(
        officer=officer,
        district=kindergarten.district,
        child=first.child,
        contacts=Contacts(),
    )
    assert second.code != first.code
    assert second.sent_to == first.sent_to
    assert Delivery.objects.filter(body__contains=second.code).count() == 2
    with pytest.raises(ValidationError):
        door.invitation_accept(code=first.code, user=person("a@example.com"))
    door.invitation_accept(code=second.code, user=person("b@example.com"))


@time_machine.travel(NOW, tick=False)
def test_another_office_may_not_renew_the_code(office):
    kindergarten, _group, _officer, _early = office
    issued = _register(_officer, kindergarten)
    other = DistrictFactory(slug="elsewhere")
    with pytest.raises(Refused):
        office_code_renew(
            officer=officer_of(other), district=other, child=issued.child, contacts=Contacts()
        )


@time_machine.travel(NOW, tick=False)
def test_an_offer_to_an_unattached_child_goes_to_the_contacts_given(office):
    kindergarten, group, officer, _early = office
    issued = _register(officer, kindergarten)
    places_declare(group=group, count=1, user=None)
    offer = Offer.objects.get()
    assert (offer.child_id, offer.status) == (issued.child.pk, OfferStatus.OFFERED)
    told = Delivery.objects.exclude(body__contains=issued.code)
    assert {(d.channel, d.address) for d in told} == {
        (Channel.EMAIL, "olena@example.com"),
        (Channel.SMS, "+380671234567"),
    }
    email = told.get(channel=Channel.EMAIL)
    assert issued.child.application_number in email.body
    assert "Оксана" not in email.body
    # The officer's cabinet keeps the message of the offer too.
    assert Message.objects.get().user == officer


def test_the_registration_page_registers_and_shows_the_code_once(client, office):
    kindergarten, _group, officer, _early = office
    client.force_login(officer)
    slug = kindergarten.district.slug
    with time_machine.travel(NOW, tick=False):
        response = client.post(
            reverse("workspace:register", args=[slug]),
            {
                "last_name": "Коваленко",
                "first_name": "Оксана",
                "patronymic": "",
                "born": "01.03.2023",
                "certificate_kind": "ua",
                "certificate": "I-КВ 400009",
                "basis": "idp",
                "valid_until": "",
                "document": "",
                "kindergartens": f"{kindergarten.number}",
                "contact_email": "",
                "contact_phone": "067 123 45 67",
            },
        )
        assert response.status_code == 302, response.content.decode()[:3000]
        page = client.get(response["Location"]).content.decode()
        code = page.split('data-testid="office-code"><strong>')[1].split("<")[0]
        assert Delivery.objects.get().body.startswith(f"Sadok: код дитини від РУО {code}")
        again = client.get(response["Location"]).content.decode()
        assert code not in again
        listed = client.get(reverse("workspace:registrations", args=[slug])).content.decode()
        assert "Коваленко Оксана" in listed
        assert "ще не додала" in listed
