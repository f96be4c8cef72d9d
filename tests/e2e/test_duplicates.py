"""The district office merges a near-duplicate in a real browser: an officer opens the
district's flags, compares the two records side by side, merges them, and lands on
the record kept, where the closed one is named."""

import datetime as dt

import pytest
from django.core.management import call_command

from sadok.applications.models import Child, ChildStatus, DuplicateFlag
from sadok.kindergartens.models import Kindergarten
from tests.e2e.signing_in import sign_in
from tests.factories import child_of
from tests.factories_accounts import verified_parent

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def pair():
    """Two families registered one child twice in Obolon: "Шевченко Тарас" long ago,
    "Shevchenko Taras" lately (flagged against the first)."""
    call_command("load_demo_city", verbosity=0)
    a, b = Kindergarten.objects.filter(district__slug="obolonskyi").order_by("number")[:2]
    born = dt.date(2023, 2, 14)
    first = child_of(
        verified_parent("mother@example.com", "+380501119901"),
        born=born,
        certificate="I-КВ 990001",
        last_name="Шевченко",
        first_name="Тарас",
        kindergartens=[a],
    )
    second = child_of(
        verified_parent("father@example.com", "+380501119902"),
        born=born,
        certificate="I-КВ 990002",
        last_name="Shevchenko",
        first_name="Taras",
        kindergartens=[b, a],
    )
    assert DuplicateFlag.objects.filter(child=second, similar_to=first).exists()
    return first, second


def test_an_officer_merges_two_records_of_one_child(live_server, browser, screenshot, pair):
    first, second = pair
    officer = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="uk-UA"
    ).new_page()
    sign_in(officer, live_server, "officer@demo.sadok.kyiv.ua", totp=True)
    officer.wait_for_url(live_server.url + "/staff/districts/obolonskyi/")
    officer.click(".subnav >> text=Можливі дублікати")
    officer.click(f"main table >> text={second.application_number}")
    table = officer.inner_text("main table.compare")
    assert "Шевченко Тарас" in table
    assert "Shevchenko Taras" in table
    screenshot("70-officer-flag", of=officer)

    officer.select_option("#id_merge-reason", "same_child")
    officer.fill("#id_merge-note", "Одне свідоцтво в обох записах, та сама дитина.")
    officer.click("button:has-text('єднати записи')")

    assert "Записи об'єднано" in officer.inner_text(".messages")
    assert officer.url.endswith(f"/children/{first.pk}/")
    screenshot("71-officer-merged-kept", of=officer)
    assert Child.objects.get(pk=second.pk).status == ChildStatus.CLOSED

    officer.goto(f"{live_server.url}/staff/districts/obolonskyi/children/{second.pk}/")
    notice = officer.inner_text("main")
    assert "знято з обліку" in notice
    assert first.application_number in notice
    screenshot("72-officer-merged-closed", of=officer)
