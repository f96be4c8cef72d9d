"""Public pages kept whole for visitors with no session (`sadok/caching.py`)."""

import pytest
from django.core.cache import caches
from django.test import Client

from tests.factories import DistrictFactory, GroupFactory
from tests.factories_accounts import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept(settings):
    settings.SADOK_PUBLIC_CACHE_SECONDS = 60
    for name in ("public", "pages"):
        caches[name].clear()
    yield
    for name in ("public", "pages"):
        caches[name].clear()


def test_a_page_one_process_kept_is_served_by_another_from_the_shared_cache(
    client, kept, django_assert_num_queries
):
    DistrictFactory()
    first = client.get("/stats/")
    key = "sadok:page:uk:/stats/"
    assert caches["pages"].get(key) == caches["public"].get(key) is not None
    caches["public"].clear()  # another server process: its memory holds nothing
    with django_assert_num_queries(0):  # the "pages" cache (in memory in the tests)
        again = client.get("/stats/")
    assert again.content == first.content
    assert caches["public"].get(key) == caches["pages"].get(key)  # now kept here too


def test_a_visitors_second_look_costs_no_query(client, kept, django_assert_num_queries):
    DistrictFactory()
    first = client.get("/stats/")
    assert first.status_code == 200
    with django_assert_num_queries(0):
        again = client.get("/stats/")
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert "csrfmiddlewaretoken" not in first.content.decode()  # nothing of the request


@pytest.mark.parametrize("page", ["map", "kindergarten"])
def test_the_map_and_a_kindergartens_page_are_kept_and_draw_their_map_with_no_nonce(
    client, kept, django_assert_num_queries, page
):
    """The map is created by sadok/map.js from options the page carries as data: no
    inline script, so no CSP nonce, and the page can be kept whole."""
    group = GroupFactory()
    url = "/" if page == "map" else f"/kindergartens/{group.kindergarten.number}/"
    first = client.get(url)
    html = first.content.decode()
    assert first.status_code == 200
    assert 'id="sadok-map-options"' in html
    assert "nonce" not in html
    assert "nonce-" not in first.get("Content-Security-Policy", "")
    with django_assert_num_queries(0):
        again = client.get(url)
    assert again.content == first.content


def test_each_language_and_query_is_kept_apart(client, kept):
    DistrictFactory(slug="obolon")
    ukrainian = client.get("/stats/").content.decode()
    client.cookies["sadok_language"] = "en"
    english = client.get("/stats/").content.decode()
    assert ukrainian != english
    assert 'lang="en"' in english
    assert client.get("/stats/?district=obolon").content.decode() != english


def test_a_signed_in_person_is_never_served_or_stored(client, kept):
    group = GroupFactory()
    url = f"/kindergartens/{group.kindergarten.number}/groups/{group.pk}/queue/"
    visitor = client.get(url).content.decode()
    client.force_login(person("p@example.com"))
    theirs = client.get(url).content.decode()
    assert "Вийти" in theirs
    assert "Вийти" not in visitor
    client.logout()
    assert "Вийти" not in Client().get(url).content.decode()


def test_a_visitor_switches_language_without_a_token_a_signed_in_person_needs_one():
    visitor = Client(enforce_csrf_checks=True)
    response = visitor.post("/i18n/setlang/", {"language": "en", "next": "/stats/"})
    assert response.status_code == 302
    assert response.cookies["sadok_language"].value == "en"
    signed_in = Client(enforce_csrf_checks=True)
    signed_in.force_login(person("q@example.com"))
    assert signed_in.post("/i18n/setlang/", {"language": "en"}).status_code == 403
