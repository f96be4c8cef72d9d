"""A Kyiv parent signs up as they write their number: `067 123 45 67`."""

import re

import pytest

from sadok.accounts.models import User
from sadok.sms import LocmemSmsBackend

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-password-2026"


@pytest.mark.parametrize("width", [1280, 375])
def test_sign_up_with_a_local_phone_number(live_server, browser, width):
    from tests.e2e.conftest import OUTPUT

    page = browser.new_context(viewport={"width": width, "height": 900}, locale="uk-UA").new_page()
    page.set_default_timeout(15_000)
    LocmemSmsBackend.outbox.clear()
    page.goto(live_server.url + "/accounts/signup/")
    page.fill("#id_email", f"maria{width}@example.com")
    page.fill("#id_phone", "067 123")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.click("main button[type=submit]")
    # Refused for the phone alone: the error under the phone, the passwords kept.
    error = page.locator(".field.has-error:has(#id_phone) .field-error")
    assert "Перевірте номер" in error.inner_text()
    assert page.input_value("#id_password1") == PASSWORD
    assert page.input_value("#id_password2") == PASSWORD
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUTPUT / f"05-signup-phone-error-{width}.png"), full_page=True)

    page.fill("#id_phone", "067 123 45 67")
    page.click("main button[type=submit]")
    page.wait_for_url("**/accounts/phone/verify/")
    assert User.objects.get(email=f"maria{width}@example.com").phone == "+380671234567"
    code = re.search(r"\b\d{6}\b", LocmemSmsBackend.outbox[-1].text).group()
    page.fill("#id_code", code)
    page.click("main button[type=submit]")
    page.wait_for_url("**/accounts/confirm-email/")
    page.screenshot(path=str(OUTPUT / f"06-signup-confirm-email-{width}.png"), full_page=True)
    assert "Введіть код з листа" in page.inner_text("main")
    page.context.close()
