import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sadok.applications.models import Child, ChildStatus, Choice, DuplicateFlag, PrivilegeClaim
from tests.factories import KindergartenFactory, child_of, pdf_bytes
from tests.factories_accounts import officer_of, person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("privilege_categories")]
NOW = dt.datetime(2026, 11, 27, 10, tzinfo=dt.UTC)

CHILD = {
    "last_name": "Шевченко",
    "first_name": "Марко",
    "patronymic": "Петрович",
    "born": "2024-03-15",
    "certificate_kind": "ua",
    "certificate": "i-kb 123456",
}


@pytest.fixture
def parent(client):
    user = person("parent@example.com")
    client.force_login(user)
    return user


@time_machine.travel(NOW, tick=False)
def test_a_parent_adds_a_child_with_the_certificate_as_typed(client, parent):
    response = client.post(reverse("cabinet:child-new"), CHILD)
    child = Child.objects.get()
    assert response["Location"] == reverse("cabinet:child", args=[child.pk])
    assert child.certificate_display == "I-КВ 123456"
    assert child.registered_at is None  # not in the queue before a kindergarten is chosen
    assert len(child.application_number) == 8


@time_machine.travel(NOW, tick=False)
def test_a_certificate_already_registered_is_refused_with_what_to_do(client, parent):
    child_of(person("other@example.com"), certificate="I-КВ 123456")
    response = client.post(reverse("cabinet:child-new"), {**CHILD, "certificate": "I-КВ 123456"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "уже зареєстровано" in html
    assert reverse("cabinet:transfer-request") in html  # ask the district office from here
    assert "код доступу" in html  # or the other guardian's code
    assert Child.objects.count() == 1


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("born", "message"),
    [
        ("2027-01-01", "не може бути в майбутньому"),
        ("2018-01-01", "до 7 років"),
        ("31.02.2024", "ДД.ММ.РРРР"),
    ],
)
def test_impossible_dates_of_birth_are_refused(client, parent, born, message):
    response = client.post(reverse("cabinet:child-new"), {**CHILD, "born": born})
    assert message in response.content.decode()
    assert not Child.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_a_bad_certificate_shows_the_expected_form(client, parent):
    response = client.post(reverse("cabinet:child-new"), {**CHILD, "certificate": "КВ-123"})
    assert "I-КВ 123456" in response.content.decode()
    assert not Child.objects.exists()


def test_the_registration_date_is_set_once_and_never_moves(client, parent):
    a, b, c = KindergartenFactory(), KindergartenFactory(), KindergartenFactory()
    with time_machine.travel(NOW, tick=False):
        child = child_of(parent)
        client.post(reverse("cabinet:choice-add", args=[child.pk, a.number]))
    registered = Child.objects.get().registered_at
    assert registered == NOW
    with time_machine.travel(NOW + dt.timedelta(days=5), tick=False):
        client.post(reverse("cabinet:choice-add", args=[child.pk, b.number]))
        client.post(reverse("cabinet:choice-add", args=[child.pk, c.number]))
        first = Choice.objects.get(kindergarten=a)
        client.post(
            reverse("cabinet:choice-move", args=[child.pk, first.pk]), {"direction": "down"}
        )
        client.post(reverse("cabinet:choice-remove", args=[child.pk, first.pk]))
    assert list(Choice.objects.order_by("rank").values_list("kindergarten", "rank")) == [
        (b.pk, 1),
        (c.pk, 2),
    ]
    assert Child.objects.get().registered_at == registered


def test_ranks_move_up_and_down(client, parent):
    kindergartens = [KindergartenFactory() for _ in range(3)]
    child = child_of(parent, kindergartens=kindergartens)
    last = Choice.objects.get(kindergarten=kindergartens[2])
    client.post(reverse("cabinet:choice-move", args=[child.pk, last.pk]), {"direction": "up"})
    client.post(reverse("cabinet:choice-move", args=[child.pk, last.pk]), {"direction": "up"})
    client.post(reverse("cabinet:choice-move", args=[child.pk, last.pk]), {"direction": "up"})
    order = list(Choice.objects.order_by("rank").values_list("kindergarten", flat=True))
    assert order == [kindergartens[2].pk, kindergartens[0].pk, kindergartens[1].pk]


def test_a_similar_child_born_the_same_day_is_flagged_for_the_district_office(parent):
    child_of(
        person("other@example.com"),
        last_name="Коваленко",
        first_name="Олена",
        certificate="I-КВ 000001",
    )
    twin = child_of(parent, last_name="Kovalenko", first_name="Olena", certificate="II-КВ 000002")
    different = child_of(parent, last_name="Бондар", first_name="Іван", certificate="II-КВ 000003")
    assert DuplicateFlag.objects.filter(child=twin).exists()
    assert not DuplicateFlag.objects.filter(child=different).exists()


def _pdf():
    return SimpleUploadedFile("довідка.pdf", pdf_bytes(), content_type="application/pdf")


def _claim(client, child, document, **extra):
    from sadok.applications.models import PrivilegeCategory

    category = PrivilegeCategory.objects.get(code="idp")
    return client.post(
        reverse("cabinet:claim-new", args=[child.pk]),
        {"category": category.pk, "document": document, **extra},
    )


def test_a_privilege_claim_is_pending_until_the_district_office_decides(client, parent):
    child = child_of(parent)
    response = _claim(client, child, _pdf())
    assert response.status_code == 302
    claim = PrivilegeClaim.objects.get()
    assert (claim.status, claim.document_type) == ("pending", "application/pdf")
    page = client.get(reverse("cabinet:child", args=[child.pk])).content.decode()
    assert "на розгляді в РУО" in page


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("довідка.pdf", b"MZ\x90\x00\x03 this is a Windows executable", "PDF, JPEG або PNG"),
        ("photo.png", b"GIF89a....", "PDF, JPEG або PNG"),
    ],
)
def test_a_document_is_judged_by_its_content_not_its_name(client, parent, name, content, message):
    child = child_of(parent)
    response = _claim(client, child, SimpleUploadedFile(name, content))
    assert message in response.content.decode()
    assert not PrivilegeClaim.objects.exists()


def test_a_document_over_the_limit_is_refused(client, parent, settings):
    settings.SADOK_DOCUMENT_MAX_BYTES = 1024
    child = child_of(parent)
    response = _claim(client, child, SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 2048))
    assert "Файл завеликий" in response.content.decode()
    assert not PrivilegeClaim.objects.exists()


def test_the_document_is_served_to_the_family_and_the_district_office_only(client, parent):
    kindergarten = KindergartenFactory()
    child = child_of(parent, kindergartens=[kindergarten])
    _claim(client, child, _pdf())
    url = reverse("cabinet:claim-document-original", args=[PrivilegeClaim.objects.get().pk])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert "no-store" in response["Cache-Control"]

    client.force_login(person("stranger@example.com"))
    assert client.get(url).status_code == 404
    client.force_login(officer_of(kindergarten.district))
    assert client.get(url).status_code == 200
    client.force_login(officer_of(KindergartenFactory().district, "far@example.com"))
    assert client.get(url).status_code == 404


def test_a_second_guardian_joins_with_a_one_time_code(client, parent):
    child = child_of(parent)
    page = client.post(reverse("cabinet:invite", args=[child.pk])).content.decode()
    code = page.split('id="invitation-code">')[1].split("<")[0]
    second = person("second@example.com")
    client.force_login(second)
    assert client.post(reverse("cabinet:join"), {"code": code.lower()}).status_code == 302
    assert list(child.guardians.order_by("email")) == [parent, second]
    client.force_login(person("third@example.com"))
    response = client.post(reverse("cabinet:join"), {"code": code})
    assert "Код недійсний" in response.content.decode()


def test_an_invitation_expires_after_three_days(client, parent):
    child = child_of(parent)
    with time_machine.travel(NOW, tick=False):
        page = client.post(reverse("cabinet:invite", args=[child.pk])).content.decode()
    code = page.split('id="invitation-code">')[1].split("<")[0]
    client.force_login(person("second@example.com"))
    with time_machine.travel(NOW + dt.timedelta(days=3, seconds=1), tick=False):
        response = client.post(reverse("cabinet:join"), {"code": code})
    assert "Код недійсний" in response.content.decode()


def test_a_deactivated_child_is_reactivated_with_its_registration_date(client, parent):
    child = child_of(parent, kindergartens=[KindergartenFactory()])
    registered = child.registered_at
    Child.objects.filter(pk=child.pk).update(
        status=ChildStatus.DEACTIVATED,
        status_changed_at=NOW,
        status_reason="пропозицію не прийнято вчасно",
    )
    page = client.get(reverse("cabinet:child", args=[child.pk])).content.decode()
    assert "Відновити участь у черзі" in page
    assert "пропозицію не прийнято вчасно" in page
    client.post(reverse("cabinet:reactivate", args=[child.pk]))
    child.refresh_from_db()
    assert (child.status, child.registered_at) == (ChildStatus.ACTIVE, registered)
    response = client.post(reverse("cabinet:reactivate", args=[child.pk]), follow=True)
    assert "вже бере участь" in response.content.decode()


def test_another_parent_reaches_nothing_of_the_child(client, parent):
    kindergarten = KindergartenFactory()
    child = child_of(parent, kindergartens=[kindergarten])
    choice = child.choices.get()
    client.force_login(person("stranger@example.com"))
    for url in (
        reverse("cabinet:child", args=[child.pk]),
        reverse("cabinet:claim-new", args=[child.pk]),
    ):
        assert client.get(url).status_code == 404
    for url in (
        reverse("cabinet:choice-remove", args=[child.pk, choice.pk]),
        reverse("cabinet:choice-add", args=[child.pk, kindergarten.number]),
        reverse("cabinet:invite", args=[child.pk]),
        reverse("cabinet:reactivate", args=[child.pk]),
    ):
        assert client.post(url).status_code == 404
    assert child.choices.count() == 1
