"""A child registered by the wrong account: the family asks the district office,
the officer moves the child to it (or refuses), with a reason."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from sadok.applications.certificates import parse_ukrainian
from sadok.applications.models import Guardianship, RequestStatus, TransferRequest
from sadok.journal.models import Event, EventKind
from sadok.notifications.models import Message
from sadok.offers import transfers
from tests.factories import DistrictFactory, KindergartenFactory, child_of
from tests.factories_accounts import officer_of, person

pytestmark = pytest.mark.django_db

CERTIFICATE = "I-КВ 123456"


@pytest.fixture
def taken():
    kindergarten = KindergartenFactory()
    squatter = person("squatter@example.com")
    child = child_of(squatter, certificate=CERTIFICATE, kindergartens=[kindergarten])
    mother = person("mother@example.com")
    return child, squatter, mother, kindergarten.district


def _ask(mother, district, certificate=CERTIFICATE):
    return transfers.transfer_request(
        user=mother, certificate=parse_ukrainian(certificate), district=district, note="  x "
    )


def test_the_family_refused_at_registration_is_shown_the_way_to_the_office(client, taken):
    _, _, mother, _ = taken
    client.force_login(mother)
    response = client.post(
        reverse("cabinet:child-new"),
        {
            "last_name": "Шевченко",
            "first_name": "Марко",
            "born": "2023-05-01",
            "certificate_kind": "ua",
            "certificate": "I-KB １２３４５６",  # the same certificate, typed otherwise
        },
    )
    page = response.content.decode()
    assert "з іншого облікового запису" in page
    assert reverse("cabinet:transfer-request") in page


def test_a_request_reveals_nothing_and_asking_twice_is_one_request(client, taken):
    child, _, mother, district = taken
    client.force_login(mother)
    form = {"certificate_kind": "ua", "certificate": CERTIFICATE, "district": district.pk}
    response = client.post(reverse("cabinet:transfer-request"), form)
    assert response.status_code == 302
    client.post(reverse("cabinet:transfer-request"), form)
    request = TransferRequest.objects.get()
    assert (request.child, request.requested_by, request.status) == (child, mother, "pending")
    home = client.get(reverse("cabinet:home")).content.decode()
    assert "на розгляді в РУО" in home
    assert child.application_number not in home
    assert child.first_name not in home


def test_a_request_for_an_unknown_or_own_certificate_says_what_to_do(taken):
    _, squatter, mother, district = taken
    with pytest.raises(ValidationError, match="додайте її як звичайно"):
        _ask(mother, district, "I-КВ 999999")
    with pytest.raises(ValidationError, match="вже є у вашому кабінеті"):
        _ask(squatter, district)


def test_the_officer_moves_the_child_with_everything_it_has(taken):
    child, squatter, mother, district = taken
    request = _ask(mother, district)
    registered, choices = child.registered_at, list(child.choices.values_list("pk", flat=True))
    officer = officer_of(district)
    transfers.transfer_move(
        request=request, user=officer, reason="registered_by_others", note="Свідоцтво в матері."
    )
    assert list(Guardianship.objects.filter(child=child).values_list("user", flat=True)) == [
        mother.pk
    ]
    child.refresh_from_db()
    assert child.registered_at == registered
    assert list(child.choices.values_list("pk", flat=True)) == choices
    event = Event.objects.get(kind=EventKind.CHILD_MOVED)
    assert (event.child_id, event.reason, event.actor_role) == (
        child.pk,
        "registered_by_others",
        "officer",
    )
    assert Message.objects.filter(user=squatter, kind="child_moved").exists()
    assert Message.objects.filter(user=mother, kind="child_moved").exists()
    request.refresh_from_db()
    assert request.status == RequestStatus.MOVED
    with pytest.raises(ValidationError) as again:
        transfers.transfer_refuse(request=request, user=officer, reason="other", note="x")
    assert again.value.code == "decided"


def test_only_the_office_asked_decides_and_a_reason_is_required(taken):
    child, _, mother, district = taken
    request = _ask(mother, district)
    with pytest.raises(PermissionDenied):
        transfers.transfer_move(
            request=request,
            user=officer_of(DistrictFactory(slug="elsewhere")),
            reason="registered_by_others",
            note="x",
        )
    with pytest.raises(ValidationError):
        transfers.transfer_move(
            request=request, user=officer_of(district), reason="registered_by_others", note=" "
        )
    transfers.transfer_refuse(
        request=request, user=officer_of(district, "o2@example.com"), reason="other", note="Ні."
    )
    assert Guardianship.objects.get(child=child).user.email == "squatter@example.com"


def test_the_officer_decides_from_the_workspace(client, taken):
    child, _, mother, district = taken
    request = _ask(mother, district)
    client.force_login(officer_of(district))
    dashboard = client.get(reverse("workspace:district", args=[district.slug])).content.decode()
    assert reverse("workspace:requests", args=[district.slug]) in dashboard
    url = reverse("workspace:request", args=[district.slug, request.pk])
    page = client.get(url).content.decode()
    assert "squatter@example.com" in page
    assert "mother@example.com" in page
    response = client.post(
        url,
        {"decision": "move", "move-reason": "registered_by_others", "move-note": "Перевірено."},
    )
    assert response.status_code == 302
    assert Guardianship.objects.get(child=child).user == mother
