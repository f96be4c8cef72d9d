"""The district office in a real browser: a parent claims a privilege, the officer
confirms it in the workspace, the parent sees the new position (desktop and phone)."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command

from sadok.applications.models import Child
from tests.e2e.signing_in import sign_in
from tests.factories import pdf_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PDF = pdf_bytes()


@pytest.fixture
def demo_city():
    call_command("load_demo_city", verbosity=0)


def _positions(page) -> list[int]:
    """The places the child page shows now, one per chosen kindergarten in a queue."""
    texts = page.locator("p.position").all_inner_texts()
    return [int(m.group(1)) for t in texts if (m := re.search(r"місце в черзі (\d+)", t))]


def test_a_claim_confirmed_by_the_district_office_moves_the_child(
    live_server, browser, screenshot, demo_city, tmp_path: Path
):
    marko = Child.objects.get(guardians__email="parent1@demo.sadok.kyiv.ua")
    parent = browser.new_context(viewport={"width": 375, "height": 800}, locale="uk-UA").new_page()
    officer = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="uk-UA"
    ).new_page()

    sign_in(parent, live_server, "parent1@demo.sadok.kyiv.ua")
    parent.wait_for_url(live_server.url + "/cabinet/")
    child_url = f"{live_server.url}/cabinet/children/{marko.pk}/"
    parent.goto(child_url)
    before = _positions(parent)
    assert before
    assert max(before) > 1

    parent.click("text=Заявити пільгу")
    # The categories stand under their three tiers, as the city presents them.
    form = parent.inner_text("main form").lower()
    assert (
        form.index("позачергово")
        < form.index("першочергово")
        < form.index("забезпечення влаштування")
    )
    parent.check("label:has-text('внутрішньо переміщених осіб')")
    document = tmp_path / "vpo.pdf"
    document.write_bytes(PDF)
    parent.set_input_files("input[type=file]", str(document))
    parent.click("button:has-text('Подати заяву')")
    assert "Заяву на пільгу подано" in parent.inner_text(".messages")
    screenshot("40-parent-claim-pending", of=parent)

    sign_in(officer, live_server, "officer@demo.sadok.kyiv.ua", totp=True)
    officer.wait_for_url(live_server.url + "/staff/districts/obolonskyi/")
    screenshot("41-officer-district", of=officer)
    officer.click(".subnav >> text=Заяви на пільги")
    officer.click(f"text={marko.application_number}")
    predicted = [
        int(cell.split(" ")[0])
        for cell in officer.locator("main table tbody tr td:nth-child(3)").all_inner_texts()
    ]
    assert predicted
    assert min(predicted) < max(before)
    screenshot("42-officer-claim", of=officer)
    officer.click("button:has-text('Підтвердити пільгу')")
    assert "Пільгу підтверджено" in officer.inner_text(".messages")

    parent.goto(child_url)
    assert "підтверджено" in parent.inner_text("main")
    assert sorted(_positions(parent)) == sorted(predicted)
    assert parent.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot("43-parent-new-position", of=parent)
