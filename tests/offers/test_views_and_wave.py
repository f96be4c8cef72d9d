import datetime as dt
import io

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse

from sadok.offers.models import Offer, Place, PlaceStatus
from sadok.offers.services import places_declare
from tests.factories import GroupFactory, enroll
from tests.factories_accounts import head_of, officer_of
from tests.offers.conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def _url(group):
    return reverse("offers:group", args=[group.kindergarten.number, group.pk])


def test_the_head_declares_places_and_sees_names_in_the_queue(client, nursery, queue_of):
    first, second, _third = queue_of(nursery.kindergarten, count=3)
    client.force_login(head_of(nursery.kindergarten))
    response = client.post(_url(nursery), {"count": 2, "intake": "now"}, follow=True)
    html = response.content.decode()
    assert "Оголошено місць: 2. Пропозицій надіслано: 2." in html
    assert first.full_name in html
    assert set(Offer.objects.values_list("child", flat=True)) == {first.pk, second.pk}


def test_too_many_places_get_a_clear_error(client, nursery, queue_of):
    client.force_login(head_of(nursery.kindergarten))
    response = client.post(_url(nursery), {"count": 6, "intake": "now"})
    assert "щонайбільше 5 вільних місць" in response.content.decode()
    assert not Place.objects.exists()


def test_an_officer_sees_application_numbers_not_names_and_cannot_declare(
    client, nursery, queue_of
):
    (child,) = queue_of(nursery.kindergarten)
    client.force_login(officer_of(nursery.kindergarten.district))
    html = client.get(_url(nursery)).content.decode()
    assert child.application_number in html
    assert child.last_name not in html
    assert client.post(_url(nursery), {"count": 1, "intake": "now"}).status_code == 403
    assert not Place.objects.exists()


def test_the_head_of_another_kindergarten_gets_404(client, nursery):
    client.force_login(head_of(GroupFactory().kindergarten, "other@example.com"))
    assert client.get(_url(nursery)).status_code == 404


@pytest.mark.usefixtures("bulk_paths")
def test_the_wave_offers_every_declared_place_at_once(queue_of):
    first = GroupFactory(age_from_months=36, age_to_months=48, capacity=20)
    second = GroupFactory(age_from_months=36, age_to_months=48, capacity=20)
    enroll(first, 18)
    enroll(second, 19)
    on = dt.date(2027, 9, 1)
    born = dt.date(2024, 3, 1)  # 41 months on the wave's date
    a, b = queue_of(first.kindergarten, second.kindergarten, count=2, born=born)
    c, _d = queue_of(second.kindergarten, count=2, born=born)
    places_declare(group=first, count=2, user=None, wave_date=on)
    places_declare(group=second, count=1, user=None, wave_date=on)

    out = io.StringIO()
    call_command("run_wave", "--date", "2027-09-01", "--dry-run", stdout=out)
    assert "3 places, 3 offers, 0 unfilled" in out.getvalue()
    assert not Offer.objects.exists()

    call_command("run_wave", "--date", "2027-09-01", stdout=out)
    offered = dict(Offer.objects.values_list("child", "place__group"))
    assert offered == {a.pk: first.pk, b.pk: first.pk, c.pk: second.pk}
    assert Place.objects.filter(status=PlaceStatus.OFFERED).count() == 3
    # A second run finds no place left to offer.
    call_command("run_wave", "--date", "2027-09-01", stdout=out)
    assert "0 places, 0 offers" in out.getvalue().splitlines()[-2]


def test_run_wave_refuses_a_malformed_date():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("run_wave", "--date", "01.09.2027")


@pytest.mark.usefixtures("bulk_paths")
def test_a_child_holding_its_second_choice_keeps_the_upgrade_rule_in_the_wave(queue_of):
    """Found from outside: a child registered long ago, holding an offer at its 2nd
    choice, lost its 1st choice's wave place to a child registered days ago."""
    first = GroupFactory(age_from_months=24, age_to_months=48, capacity=20)
    second = GroupFactory(age_from_months=24, age_to_months=48, capacity=20)
    enroll(first, 19)
    enroll(second, 19)
    (old,) = queue_of(first.kindergarten, second.kindergarten)
    places_declare(group=second, count=1, user=None)  # at once: the old child's offer
    held = Offer.objects.get(child=old)
    (new,) = queue_of(first.kindergarten)  # registered after the old child
    places_declare(group=first, count=1, user=None, wave_date=dt.date(2027, 9, 1))

    call_command("run_wave", "--date", "2027-09-01", stdout=io.StringIO())

    live = dict(Offer.objects.filter(status="offered").values_list("child", "place__group"))
    assert live == {old.pk: first.pk}  # its 1st choice; nobody else wanted the 2nd
    held.refresh_from_db()
    assert held.status == "withdrawn"
    assert Place.objects.get(pk=held.place_id).status == PlaceStatus.OPEN
    assert new.pk not in live
