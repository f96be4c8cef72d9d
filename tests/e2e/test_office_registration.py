"""Registration at the district office in a real browser (docs/queue-rules.md): the
officer registers an IDP child from the family's documents and reads the code on
the result page; the parent enters it at /cabinet/join/ and sees the child with
the registration date the office gave it."""

import re

import pytest
from django.core.management import call_command

from sadok.applications.models import Child
from sadok.kindergartens.models import Kindergarten
from tests.e2e.signing_in import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_city():
    call_command("load_demo_city", verbosity=0)


def test_the_office_registers_an_idp_child_and_the_family_attaches_it(
    live_server, browser, screenshot, demo_city
):
    kindergartens = list(
        Kindergarten.objects.filter(district__slug="obolonskyi")
        .order_by("number")
        .values_list("number", flat=True)[:2]
    )
    officer = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="uk-UA"
    ).new_page()
    sign_in(officer, live_server, "officer@demo.sadok.kyiv.ua", totp=True)
    officer.wait_for_url(live_server.url + "/staff/districts/obolonskyi/")
    assert "дітей зареєстровано в РУО за родину" in officer.inner_text("main")
    officer.click("main a:has-text('Зареєструвати дитину')")
    officer.fill("#id_last_name", "Литвиненко")
    officer.fill("#id_first_name", "Софія")
    officer.fill("#id_born", "2023-02-14")
    officer.fill("#id_certificate", "I-КВ 765432")
    officer.check("label:has-text('родина ВПО')")
    officer.fill("#id_document", "довідка ВПО № 0000-1234567 від 01.10.2026")
    officer.fill("#id_kindergartens", ", ".join(str(n) for n in kindergartens))
    officer.fill("#id_contact_phone", "067 123 45 67")
    screenshot("60-officer-register-form", of=officer)
    officer.click("main button:has-text('Зареєструвати і видати код')")
    officer.wait_for_selector("[data-testid=office-code]")
    code = officer.inner_text("[data-testid=office-code]").strip()
    assert re.fullmatch(r"[2-9A-Z]{10}", code)
    assert "+380 •• ••• •• 67" in officer.inner_text("main")
    screenshot("61-officer-code", of=officer)
    child = Child.objects.get(certificate_display__contains="765432")
    registered = child.registered_at.astimezone().strftime("%d.%m.%Y")
    # Shown once: the page again no longer has it.
    officer.reload()
    assert code not in officer.inner_text("main")
    officer.goto(live_server.url + "/staff/districts/obolonskyi/registered/")
    assert "ще не додала" in officer.inner_text("main")
    screenshot("62-officer-registrations", of=officer)

    parent = browser.new_context(viewport={"width": 375, "height": 800}, locale="uk-UA").new_page()
    sign_in(parent, live_server, "parent2@demo.sadok.kyiv.ua", lands="/cabinet/")
    parent.click("main a:has-text('У мене є код')")
    parent.wait_for_url(live_server.url + "/cabinet/join/")
    screenshot("63-parent-join", of=parent)
    parent.fill("#id_code", "WRONGCODE9")
    parent.click("main button:has-text('Додати дитину до кабінету')")
    assert "Код недійсний або застарів" in parent.inner_text("main")
    parent.fill("#id_code", code.lower())
    parent.click("main button:has-text('Додати дитину до кабінету')")
    parent.wait_for_url(f"{live_server.url}/cabinet/children/{child.pk}/")
    page = parent.inner_text("main")
    assert "Литвиненко Софія" in page
    assert registered in page
    assert "у РУО (Оболонський район)" in page
    assert "підтверджено" in page
    assert parent.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot("64-parent-child-attached", of=parent)

    officer.goto(live_server.url + "/staff/districts/obolonskyi/registered/")
    assert "додала до кабінету" in officer.inner_text("main")
