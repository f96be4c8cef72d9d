import datetime as dt
import re

import pytest
import time_machine
from django.core.management import call_command

from sadok.accounts.demo import DEMO_PASSWORD
from tests.e2e.family import popup_link_follow, privilege_claim

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_city():
    with time_machine.travel(dt.datetime(2026, 11, 27, 9, tzinfo=dt.UTC), tick=False):
        call_command("load_demo_city", verbosity=0)


def _add_child(page, last, first, born, certificate):
    page.click("text=Додати дитину")
    page.fill("#id_last_name", last)
    page.fill("#id_first_name", first)
    page.fill("#id_born", born)
    page.fill("#id_certificate", certificate)
    page.click("main button:has-text('Додати дитину')")
    page.wait_for_selector("text=Дитину додано")


@time_machine.travel(dt.datetime(2026, 11, 27, 10, tzinfo=dt.UTC), tick=True)
def test_a_parent_builds_a_ranked_list_and_claims_a_privilege(
    live_server, page, screenshot, demo_city, tmp_path
):
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_login", "parent2@demo.sadok.kyiv.ua")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main button:has-text('Увійти')")
    page.wait_for_url(live_server.url + "/cabinet/")

    _add_child(page, "Коваленко", "Софія", "2024-05-14", "i-kb 777001")
    child_url = page.url
    page.goto(live_server.url + "/cabinet/")
    _add_child(page, "Коваленко", "Богдан", "2022-02-03", "II-КВ 777002")
    page.goto(live_server.url + "/cabinet/")
    assert page.locator(".card").count() == 2

    # 1. From the map: a marker's popup.
    page.goto(live_server.url + "/?district=obolonskyi")
    page.locator("path.leaflet-interactive").first.click()
    popup_link_follow(page, page.locator(".leaflet-popup-content .popup-add"), "**/add/*/")
    page.click("main button:has-text('Коваленко Софія')")
    page.wait_for_url(child_url)
    # 2. From a kindergarten page.
    page.goto(live_server.url + "/?district=obolonskyi")
    second = page.locator(".kindergarten-card h3 a").nth(3)
    second.click()
    page.click("text=Додати до моїх садочків")
    page.click("main button:has-text('Коваленко Софія')")
    # 3. From the search list in the cabinet.
    page.fill("#add-search", "Оболонський")
    page.click("main button:has-text('Знайти')")
    page.locator(".found-list button").first.click()
    assert page.locator("li.choice").count() == 3
    names_before = page.locator("li.choice .choice-head a").all_inner_texts()

    page.locator("li.choice").nth(2).locator("button[value=up]").click()
    names_after = page.locator("li.choice .choice-head a").all_inner_texts()
    assert names_after == [names_before[0], names_before[2], names_before[1]]
    positions = page.locator("li.choice .position").all_inner_texts()
    assert all(re.search(r"місце в черзі \d+ з \d+", p) for p in positions), positions
    assert "У черзі з" in page.inner_text("dl.facts")
    screenshot("20-child-choices")

    privilege_claim(page, tmp_path)
    screenshot("21-claim-pending")
