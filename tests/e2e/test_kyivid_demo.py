"""KyivID in the demo: Sadok's real KyivID client against the stand-in `make run`
starts (kyivid_demo/, django-allauth's OpenID Connect provider in its own process)."""

import pytest
import requests

from sadok.accounts.models import User

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_stand_in_publishes_discovery_pkce_and_signing_keys(kyivid_demo):
    config = requests.get(f"{kyivid_demo}/.well-known/openid-configuration", timeout=5).json()
    assert config["issuer"] == kyivid_demo
    assert config["code_challenge_methods_supported"] == ["S256"]
    assert "RS256" in config["id_token_signing_alg_values_supported"]
    keys = requests.get(config["jwks_uri"], timeout=5).json()["keys"]
    assert keys[0]["kty"] == "RSA"


@pytest.mark.parametrize("width", [1280, 375])
def test_a_kyivan_signs_in_through_kyivid_in_the_demo(live_server, browser, kyivid_demo, width):
    from tests.e2e.conftest import OUTPUT

    page = browser.new_context(viewport={"width": width, "height": 900}, locale="uk-UA").new_page()
    page.set_default_timeout(15_000)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.goto(live_server.url + "/accounts/login/")
    page.click("#login-kyivid")
    page.wait_for_url(f"{kyivid_demo}/login/**")
    assert "Хто входить?" in page.inner_text("h1")
    page.screenshot(path=str(OUTPUT / f"50-kyivid-pick-{width}.png"), full_page=True)
    page.click("button:has-text('Гнатюк Оксана Василівна')")
    page.wait_for_url(live_server.url + "/cabinet/")
    assert "Гнатюк Оксана Василівна" in page.inner_text("main")
    page.screenshot(path=str(OUTPUT / f"51-kyivid-cabinet-{width}.png"), full_page=True)
    user = User.objects.get(email="oksana.hnatiuk@kyivid.example")
    assert (user.patronymic, user.phone, user.phone_verified) == (
        "Василівна",
        "+380671110001",
        True,
    )
    page.context.close()
