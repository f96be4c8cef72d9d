"""A parent types a kindergarten's name in Latin letters, as on a phone keyboard."""

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 375])
def test_latin_search_finds_the_kindergarten(live_server, browser, width):
    from tests.e2e.conftest import OUTPUT

    call_command("load_demo_city", verbosity=0)
    page = browser.new_context(viewport={"width": width, "height": 900}, locale="uk-UA").new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + "/")
    page.fill("#id_q", "svitlyachok")
    with page.expect_navigation():  # the results' page, loaded, before reading it
        page.click("button:has-text('Показати')")
    found = page.locator(".kindergarten-card h3").all_inner_texts()
    assert "№ 216 · Ясла-садок «Світлячок»" in found
    assert all("«Світлячок»" in name for name in found)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUTPUT / f"07-search-latin-{width}.png"), full_page=True)
    page.fill("#id_q", "Svitliachok 216")
    with page.expect_navigation():  # the results' page, loaded, before reading it
        page.click("button:has-text('Показати')")
    assert page.locator(".kindergarten-card h3").all_inner_texts() == [
        "№ 216 · Ясла-садок «Світлячок»"
    ]
    page.context.close()
