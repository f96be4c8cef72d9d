"""Signing a demo person in through the real login page (and the second factor,
with the demo's current TOTP code), as every browser test does."""

import io
import time

from allauth.mfa import app_settings as mfa
from django.core.management import call_command

from sadok.accounts.demo import DEMO_PASSWORD


def sign_in(page, live_server, email, *, totp=False, lands=None):
    """Sign `email` in; with `lands`, wait until the page is that path."""
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", DEMO_PASSWORD)
    # The password form's own button (KyivID's, when it is set up, also says "Увійти").
    page.click("form:has(#id_password) button[type=submit]")
    if totp:
        page.wait_for_url("**/accounts/2fa/authenticate/")
        _window_ahead()
        code = io.StringIO()
        call_command("demo_totp", email, stdout=code)
        page.fill("#id_code", code.getvalue().strip())
        page.click("main button:has-text('Увійти')")
    if lands is not None:
        page.wait_for_url(live_server.url + lands)


def _window_ahead(margin: float = 10.0) -> None:
    """Wait for the next TOTP period when the current one ends within `margin`
    seconds: a code typed on a busy machine must still be the current one when the
    server checks it (allauth accepts only the current period's code)."""
    left = mfa.TOTP_PERIOD - time.time() % mfa.TOTP_PERIOD
    if left < margin:
        time.sleep(left + 0.1)
