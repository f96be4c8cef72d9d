"""A family finds its child in its kindergarten group's public anonymised queue,
by the application number its cabinet shows, at the position the cabinet shows."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.management import call_command

from sadok import clock
from sadok.applications.models import Child
from sadok.queue.selectors import standings_of
from tests.e2e.signing_in import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
NOW = dt.datetime(2026, 11, 27, 10, tzinfo=dt.UTC)


@pytest.fixture
def demo_city():
    with time_machine.travel(NOW - dt.timedelta(hours=1), tick=False):
        call_command("load_demo_city", verbosity=0)


def _a_waiting_demo_child():
    """A demo child, signed up by a family with a password, waiting in a group's queue
    as its cabinet shows it first."""
    for child in Child.objects.filter(guardians__email__endswith="@demo.sadok.kyiv.ua"):
        # The first of its kindergartens where it waits: the first position its page shows.
        standing = next(
            (s for s in standings_of(child=child, today=clock.today()) if s.position_now), None
        )
        if standing is not None:
            return child, standing
    pytest.fail("no demo child waits in a queue")


@time_machine.travel(NOW, tick=True)
def test_a_family_finds_its_child_in_the_public_queue(live_server, page, screenshot, demo_city):
    child, standing = _a_waiting_demo_child()
    sign_in(page, live_server, child.guardians.first().email)
    page.goto(f"{live_server.url}/cabinet/children/{child.pk}/")
    shown = re.search(r"місце в черзі (\d+) з", page.inner_text("main"))
    assert shown is not None
    assert int(shown.group(1)) == standing.position_now.place
    number = child.application_number
    assert number in page.inner_text("main")

    kindergarten = standing.choice.kindergarten
    page.goto(f"{live_server.url}/kindergartens/{kindergarten.number}/")
    link = page.locator(f"a.queue-link[href$='/groups/{standing.group_now.pk}/queue/']")
    assert "у черзі:" in link.inner_text()
    link.click()
    page.wait_for_selector("h1:has-text('Черга групи')")
    page.fill("#id_number", number.lower())
    page.click("main button:has-text('Знайти')")
    mine = page.locator("tr#mine")
    mine.wait_for()
    assert mine.locator("td").first.inner_text() == str(standing.position_now.place)
    assert number in mine.inner_text()
    screenshot("85-public-queue")

    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    page.locator("tr#mine").wait_for()
    screenshot("85-public-queue-375")

    # The API's documentation page loads under the CSP (the page fixture checks it).
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/api/docs")
    page.get_by_text("/api/groups/{group_id}/queue").first.wait_for()
    screenshot("86-api-docs")
