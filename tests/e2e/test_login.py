import io

import pytest
from django.core.management import call_command

from sadok.accounts.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_city():
    call_command("load_demo_city", verbosity=0)


def _sign_in(page, live_server, email):
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]:has-text('Увійти')")


def test_a_demo_parent_signs_in_and_sees_the_cabinet(live_server, page, screenshot, demo_city):
    _sign_in(page, live_server, "parent1@demo.sadok.kyiv.ua")
    page.wait_for_url(live_server.url + "/cabinet/")
    assert page.inner_text("h1") == "Мій кабінет"
    assert "Шевченко Олена Петрівна" in page.inner_text("main")
    screenshot("10-parent-cabinet")


def test_a_demo_head_signs_in_with_a_second_factor_and_edits_a_group(
    live_server, page, screenshot, demo_city
):
    _sign_in(page, live_server, "head@demo.sadok.kyiv.ua")
    page.wait_for_url("**/accounts/2fa/authenticate/")
    code = io.StringIO()
    call_command("demo_totp", "head@demo.sadok.kyiv.ua", stdout=code)
    page.fill("#id_code", code.getvalue().strip())
    screenshot("11-head-second-factor")
    page.click("main button:has-text('Увійти')")
    # A head lands on the kindergarten's workspace, not on the family cabinet.
    page.wait_for_url(live_server.url + "/staff/kindergartens/216/")
    assert "Світлячок" in page.inner_text("h1")
    assert page.locator(".main-nav a[aria-current=page]").inner_text() == "Садочок № 216"

    page.locator("main table a:has-text('змінити')").first.click()
    page.fill("#id_capacity", "30")
    page.click("button:has-text('Зберегти групу')")
    assert "до 15 дітей" in page.inner_text(".error-summary")
    screenshot("12-head-capacity-warning")
    page.fill("#id_capacity", "15")
    page.click("button:has-text('Зберегти групу')")
    assert "Групу збережено" in page.inner_text(".messages")
    screenshot("13-head-kindergarten")
