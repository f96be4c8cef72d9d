import pytest
from django.urls import reverse

from sadok.journal.models import Event, EventKind
from sadok.kindergartens.models import ChangeStatus, Group, GroupChange
from sadok.offers.district import group_change_approve
from tests.factories import GroupFactory, KindergartenFactory, SpecialisationFactory, enroll
from tests.factories_accounts import head_of, officer_of

pytestmark = pytest.mark.django_db

GROUP = {
    "name": "2 молодша",
    "kind": "younger",
    "age_from_months": 36,
    "age_to_months": 48,
    "capacity": 20,
    "language": "uk",
}


@pytest.fixture
def head(client):
    kindergarten = KindergartenFactory()
    client.force_login(head_of(kindergarten))
    return kindergarten


def test_a_head_edits_the_page_and_the_public_sees_it(client, head):
    url = reverse("kindergartens:staff-edit", args=[head.number])
    response = client.post(
        url,
        {
            "name": "Ясла-садок «Веселка»",
            "address": "вул. Прирічна, 5",
            "phone": "+380 44 123 45 67",
            "working_hours": "07:00–19:00",
            "language": "uk",
            "type": "nursery_kindergarten",
            "website": "sadok5.kyiv.ua",
        },
    )
    assert response.status_code == 302
    public = client.get(reverse("kindergartens:detail", args=[head.number])).content.decode()
    assert "Ясла-садок «Веселка»" in public
    assert "https://sadok5.kyiv.ua" in public


def test_a_groups_page_keeps_its_address():
    # The view lives in the offers app (it checks the declared places), the URL did not move.
    assert reverse("offers:staff-group-new", args=[7]) == "/staff/kindergartens/7/groups/new/"
    assert reverse("offers:staff-group-edit", args=[7, 3]) == "/staff/kindergartens/7/groups/3/"


def test_a_heads_new_group_waits_for_the_district_office(client, head):
    response = client.post(reverse("offers:staff-group-new", args=[head.number]), GROUP)
    assert response.status_code == 302
    assert not Group.objects.exists()  # no queue, no place, until approved
    change = GroupChange.objects.get(kindergarten=head, status=ChangeStatus.PENDING)
    group = group_change_approve(change=change, user=officer_of(head.district))
    assert (group.name, group.capacity) == ("2 молодша", 20)
    assert list(
        Event.objects.filter(group_id=group.pk).order_by("pk").values_list("kind", "actor_role")
    ) == [(EventKind.GROUP_APPROVED, "officer"), (EventKind.GROUP_CREATED, "officer")]


def test_a_capacity_above_the_law_needs_confirmation(client, head):
    url = reverse("offers:staff-group-new", args=[head.number])
    response = client.post(url, {**GROUP, "capacity": 25})
    assert "дозволяє для такої групи до 20 дітей" in response.content.decode()
    assert not Group.objects.exists()
    response = client.post(url, {**GROUP, "capacity": 25, "over_legal_reason": "  "})
    assert "напишіть причину" in response.content.decode()
    response = client.post(
        url,
        {**GROUP, "capacity": 25, "over_legal_reason": "дві кімнати, рішення ради"},
        follow=True,
    )
    assert "Причину записано" in response.content.decode()
    assert (GroupChange.objects.get().capacity, GroupChange.objects.get().over_legal_reason) == (
        25,
        "дві кімнати, рішення ради",
    )


@pytest.mark.parametrize(
    ("kind", "low", "high", "allowed"),
    [
        ("younger", 55, 56, False),  # found from outside: a "group" for one chosen child
        ("younger", 36, 48, True),
        ("younger", 30, 42, False),
        ("middle", 48, 72, False),
        ("older", 60, 84, True),
        ("older", 60, 72, True),
        ("mixed", 36, 84, True),
        ("mixed", 36, 48, True),
        ("special", 48, 84, True),
    ],
)
def test_an_age_band_is_whole_years(client, head, kind, low, high, allowed):
    url = reverse("offers:staff-group-new", args=[head.number])
    data = {**GROUP, "kind": kind, "age_from_months": low, "age_to_months": high, "capacity": 1}
    response = client.post(url, data)
    assert GroupChange.objects.exists() == allowed
    if not allowed:
        assert "повні роки" in response.content.decode() or "один рік" in response.content.decode()


def test_a_speech_group_has_its_own_legal_size(client, head):
    speech = SpecialisationFactory()
    url = reverse("offers:staff-group-new", args=[head.number])
    response = client.post(
        url, {**GROUP, "capacity": 13, "specialisation": speech.pk, "kind": "special"}
    )
    assert "до 12 дітей" in response.content.decode()


def test_capacity_cannot_drop_below_the_children_in_the_group(client, head):
    group = GroupFactory(
        kindergarten=head, **{k: GROUP[k] for k in ("age_from_months", "age_to_months", "capacity")}
    )
    enroll(group, 18)
    url = reverse("offers:staff-group-edit", args=[head.number, group.pk])
    response = client.post(url, {**GROUP, "capacity": 17})
    assert "У групі вже 18 дітей" in response.content.decode()
    group.refresh_from_db()
    assert group.capacity == 20


@pytest.mark.parametrize(
    ("age_from", "age_to", "message"),
    [
        (48, 36, "має бути більшим за вік"),
        (36, 120, "Дошкільний вік закінчується до 8 років"),
    ],
)
def test_bad_age_ranges_are_explained(client, head, age_from, age_to, message):
    url = reverse("offers:staff-group-new", args=[head.number])
    response = client.post(url, {**GROUP, "age_from_months": age_from, "age_to_months": age_to})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Group.objects.exists()


def test_a_head_cannot_touch_another_kindergarten(client, head):
    other = GroupFactory()
    assert (
        client.get(
            reverse("kindergartens:staff-edit", args=[other.kindergarten.number])
        ).status_code
        == 404
    )
    response = client.post(
        reverse("offers:staff-group-edit", args=[other.kindergarten.number, other.pk]),
        {**GROUP, "capacity": 1},
    )
    assert response.status_code == 404
    # Nor reach another kindergarten's group through their own kindergarten's URL.
    response = client.post(reverse("offers:staff-group-edit", args=[head.number, other.pk]), GROUP)
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.capacity == 15


def test_a_district_officer_manages_every_kindergarten_of_the_district(client):
    kindergarten = KindergartenFactory()
    client.force_login(officer_of(kindergarten.district))
    assert (
        client.get(reverse("kindergartens:staff-edit", args=[kindergarten.number])).status_code
        == 200
    )
    elsewhere = KindergartenFactory()
    assert (
        client.get(reverse("kindergartens:staff-edit", args=[elsewhere.number])).status_code == 404
    )


def test_capacity_keeps_room_for_declared_places(client, head):
    from sadok.offers.models import Place

    group = GroupFactory(
        kindergarten=head, **{k: GROUP[k] for k in ("age_from_months", "age_to_months", "capacity")}
    )
    enroll(group, 16)
    Place.objects.create(group=group, declared_at="2026-11-27T10:00:00+00:00")
    url = reverse("offers:staff-group-edit", args=[head.number, group.pk])
    response = client.post(url, {**GROUP, "capacity": 16})
    assert "17 дітей і оголошених місць" in response.content.decode()


def _png(size, **text):
    import io

    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    for key, value in text.items():
        info.add_text(key, value)
    out = io.BytesIO()
    Image.new("RGB", size, "green").save(out, "PNG", pnginfo=info)
    return out.getvalue()


def _page(head, photo):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {
        "name": head.name,
        "address": head.address,
        "language": "uk",
        "type": "nursery_kindergarten",
        "photo": SimpleUploadedFile("наш-садочок.png", photo),
    }


def test_a_photo_is_kept_encoded_anew_under_a_random_name(client, head, settings, tmp_path):
    import os

    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    url = reverse("kindergartens:staff-edit", args=[head.number])
    payload = _png((40, 30), Comment="<script>alert(1)</script>") + b"<script>alert(2)</script>"
    assert client.post(url, _page(head, payload)).status_code == 302
    head.refresh_from_db()
    name = os.path.basename(head.photo.name)
    assert name.endswith(".jpg")
    assert "садочок" not in name
    with head.photo.open("rb") as kept:
        data = kept.read()
    assert b"script" not in data
    assert Image.open(head.photo.path).size == (40, 30)


def test_a_photo_of_too_many_pixels_is_refused(client, head, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SADOK_PHOTO_MAX_PIXELS = 1000
    url = reverse("kindergartens:staff-edit", args=[head.number])
    response = client.post(url, _page(head, _png((100, 100))))
    assert "мегапікселів" in response.context["form"].errors["photo"][0]
    head.refresh_from_db()
    assert not head.photo
