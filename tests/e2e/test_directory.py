import datetime as dt
import re

import pytest
import time_machine
from django.core.management import call_command

from tests.e2e.family import popup_link_follow

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_city():
    call_command("load_demo_city", verbosity=0)


def _markers(page) -> int:
    page.wait_for_selector("#directory-map[data-markers]", state="attached")
    return int(page.get_attribute("#directory-map", "data-markers"))


def _found(page) -> int:
    return int(re.findall(r"\d+", page.inner_text("#found"))[0])


@time_machine.travel(dt.datetime(2026, 11, 27, 10, tzinfo=dt.UTC), tick=True)
def test_a_parent_finds_a_kindergarten_with_a_place_for_their_child(
    live_server, page, screenshot, demo_city
):
    page.goto(live_server.url + "/")
    all_kindergartens = _markers(page)
    assert all_kindergartens == _found(page) == 80
    screenshot("01-map")

    page.select_option("#id_district", label="Оболонський")
    with page.expect_navigation():  # the filtered page, loaded, before reading it
        page.click("button:has-text('Показати')")
    in_obolon = _markers(page)
    assert in_obolon == _found(page) == 8

    page.fill("#id_born", "2024-11-27")  # turns two today
    with page.expect_navigation():  # the filtered page, loaded, before reading it
        page.click("button:has-text('Показати')")
    with_places = _markers(page)
    assert with_places == _found(page)
    assert 0 < with_places < in_obolon
    screenshot("02-filtered")

    page.locator("path.leaflet-interactive").first.click()
    popup = page.locator(".leaflet-popup-content")
    assert "вільних місць" in popup.inner_text()
    assert "всього місць" in popup.inner_text()
    link = popup.get_by_role("link", name="Відкрити сторінку")
    popup_link_follow(page, link, re.compile(r"/kindergartens/\d+/$"))
    figures = page.inner_text("#places")

    def count(pattern, text):
        found = re.search(pattern, text)
        return int(found.group(1)) if found else 0

    free = count(r"вільних місць: (\d+)", figures)
    undeclared = count(r"не оголошених керівником: (\d+)", figures)
    total = count(r"всього місць: (\d+)", figures)
    # The filter found room for the child: declared free, offered, or not declared.
    assert 0 < free + undeclared + count(r"чекають відповіді: (\d+)", figures) <= total
    groups = page.locator("li.group").all_inner_texts()
    assert sum(count(r"вільних місць: (\d+)", g) for g in groups) == free
    assert sum(count(r"не оголошених керівником: (\d+)", g) for g in groups) == undeclared
    assert any("(від 2 до 3 років)" in g for g in groups)
    screenshot("03-kindergarten")


def test_bad_filters_show_a_message_not_an_error(live_server, page, screenshot, demo_city):
    page.goto(live_server.url + "/?district=atlantis&born=31.02.2024")
    alert = page.get_by_role("alert").inner_text()
    assert "Такого району немає" in alert
    assert "ДД.ММ.РРРР" in alert
    assert _markers(page) == 80
    screenshot("04-bad-filters")


def test_the_english_switch(live_server, page, demo_city):
    page.goto(live_server.url + "/")
    page.click("button[value=en]")
    page.wait_for_selector("html[lang=en]")
    assert "Kyiv kindergartens" in page.inner_text("h1")
    assert "80 kindergartens found" in page.inner_text("#found")
