"""The open statistics in a browser: Chart.js (served by the app) draws every chart
under the page's Content-Security-Policy, and the tables are there, on a phone too."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_city():
    call_command("load_demo_city", verbosity=0)


@time_machine.travel(dt.datetime(2026, 11, 27, 10, tzinfo=dt.UTC), tick=True)
def test_the_statistics_draw_their_charts_over_their_tables(
    live_server, browser, page, screenshot, demo_city
):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Статистика", exact=True).click()
    page.wait_for_url(f"{live_server.url}/stats/")
    assert page.evaluate("typeof window.Chart") == "function"
    canvases = page.locator("canvas[data-chart]")
    assert canvases.count() >= 5
    page.wait_for_function(
        "[...document.querySelectorAll('canvas[data-chart]')].every(c => c.dataset.rendered)"
    )
    for canvas in canvases.all():
        assert page.evaluate("c => !!window.Chart.getChart(c)", canvas.element_handle())
        assert canvas.bounding_box()["height"] > 100
    assert page.locator("table.stats-table caption").count() >= 6
    rows = page.locator("#kindergartens tbody tr")
    assert rows.count() > 10
    page.select_option("#id_district", index=1)
    page.get_by_role("button", name="Показати").click()
    page.wait_for_url("**district=**")
    assert page.locator("#kindergartens tbody tr").count() < 50
    screenshot("80-stats", of=page)
    assert errors == []

    phone = browser.new_context(viewport={"width": 375, "height": 800}, locale="uk-UA").new_page()
    phone.goto(f"{live_server.url}/stats/")
    phone.wait_for_function(
        "[...document.querySelectorAll('canvas[data-chart]')].every(c => c.dataset.rendered)"
    )
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot("81-stats-375", of=phone)
    phone.context.close()
