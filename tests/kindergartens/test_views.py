import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tests.factories import DistrictFactory, GroupFactory, KindergartenFactory, enroll

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    obolon = DistrictFactory(slug="obolonskyi", name="Оболонський", name_en="Obolonskyi")
    kindergarten = KindergartenFactory(number=123, district=obolon)
    nursery = GroupFactory(kindergarten=kindergarten, name="1 ясельна", capacity=20)
    enroll(nursery, 19)
    older = GroupFactory(
        kindergarten=kindergarten,
        name="1 старша",
        capacity=70,
        age_from_months=60,
        age_to_months=84,
    )
    enroll(older, 70)
    KindergartenFactory(number=5)
    return kindergarten


def test_the_kindergarten_page_shows_places_as_the_city_presentation_does(client, city):
    response = client.get(reverse("kindergartens:detail", kwargs={"number": 123}))
    html = response.content.decode()
    assert response.status_code == 200
    # The one free place by capacity is not declared by the head: no offer can go
    # out on it, so it is not shown as a vacancy.
    assert "вільних місць немає" in html
    assert "місць за нормою, не оголошених керівником: 1" in html
    assert "всього місць: 90, дітей відвідує: 89" in html
    assert "1 ясельна</strong> (від 2 до 3 років)" in html
    assert "всього місць: 20, дітей відвідує: 19" in html
    assert "від 5 до 7 років" in html


def test_pages_are_ukrainian_even_for_an_english_browser(client, city):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="uk">' in response.content.decode()
    assert "Садочки Києва" in response.content.decode()


def test_the_language_switch_gives_english(client, city):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("kindergartens:detail", kwargs={"number": 123})).content.decode()
    assert '<html lang="en">' in html
    assert "places by capacity not declared by the head: 1" in html
    assert "Obolonskyi" in html


@time_machine.travel(dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC))
def test_the_directory_filters_without_javascript(client, city):
    html = client.get("/", {"district": "obolonskyi", "born": "2024-11-27"}).content.decode()
    assert "Знайдено 1 садочок" in html
    assert "/kindergartens/123/" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"district": "atlantis"}, "Такого району немає"),
        ({"born": "31.02.2024"}, "ДД.ММ.РРРР"),
        ({"born": "garbage"}, "ДД.ММ.РРРР"),
        ({"born": "2099-01-01"}, "не може бути в майбутньому"),
        ({"born": "1990-01-01"}, "старша за дошкільний вік"),
        ({"language": "xx"}, "Оберіть мову"),
        ({"page": "many"}, None),
        ({"page": "-5"}, None),
        ({"q": "x" * 500}, "100"),
    ],
)
def test_bad_filter_input_gets_a_clear_message_and_never_an_error(client, city, query, message):
    response = client.get("/", query)
    assert response.status_code == 200
    if message:
        assert message in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/kindergartens/999/",
        "/kindergartens/abc/",
        "/kindergartens/99999999999999999999/",
        "/kindergartens/-1/",
    ],
)
def test_unknown_kindergartens_are_404(client, city, path):
    assert client.get(path).status_code == 404


def test_the_list_is_paginated(client, settings):
    settings.SADOK_PAGE_SIZE = 2
    for number in range(1, 6):
        KindergartenFactory(number=number)
    html = client.get("/", {"page": 3}).content.decode()
    assert "Сторінка 3 з 3" in html
    assert "Знайдено 5 садочків" in html


def test_a_signed_in_person_keeps_the_language_for_messages(client):
    from tests.factories_accounts import person

    user = person("olena@example.com")
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    user.refresh_from_db()
    assert user.language == "en"
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    user.refresh_from_db()
    assert user.language == "en"


def test_the_not_found_page_speaks_ukrainian(client, settings):
    settings.DEBUG = False
    response = client.get("/kindergartens/999999/")
    assert response.status_code == 404
    assert "Сторінку не знайдено" in response.content.decode()
