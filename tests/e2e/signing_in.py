"""Signing a demo person in through the real login page (and the second factor,
with the demo's current TOTP code), as every browser test does."""

import io

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
        code = io.StringIO()
        call_command("demo_totp", email, stdout=code)
        page.fill("#id_code", code.getvalue().strip())
        page.click("main button:has-text('Увійти')")
    if lands is not None:
        page.wait_for_url(live_server.url + lands)
