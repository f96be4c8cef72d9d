"""KyivID in the demo: Sadok's real KyivID client against the stand-in `make run`
starts (kyivid_demo/, django-allauth's OpenID Connect provider in its own process)."""

import copy
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from sadok.accounts.models import User

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID, CLIENT_SECRET = "sadok-demo", "sadok-demo-secret"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def kyivid_demo(live_server, settings, tmp_path):
    """The stand-in, set up and served as `make run` does, with Sadok pointed at it."""
    env = {
        **os.environ,
        "SADOK_DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "kyivid_demo.settings",
        "KYIVID_DEMO_DATABASE_URL": f"sqlite:///{tmp_path / 'kyivid.sqlite3'}",
        "KYIVID_DEMO_KEY_FILE": str(tmp_path / "key.pem"),
    }
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [
            *manage,
            "kyivid_demo_setup",
            "--client-id",
            CLIENT_ID,
            "--client-secret",
            CLIENT_SECRET,
            "--redirect-uri",
            f"{live_server.url}/accounts/kyivid/login/callback/",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    port = _free_port()
    issuer = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env={**env, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        # runserver says it is starting just before it listens: read until it does
        # (an empty line: it died), then let the first request retry the connection
        # for the moment between the two.
        assert server.stdout is not None
        for line in server.stdout:
            if "Quit the server" in line:
                break
        else:
            pytest.fail("the KyivID stand-in did not start")
        # Keep reading what it says after (closing the pipe would break its next
        # write to it, and the server with it).
        threading.Thread(target=server.stdout.read, daemon=True).start()
        session = requests.Session()
        session.mount("http://", HTTPAdapter(max_retries=Retry(connect=20, backoff_factor=0.05)))
        session.get(f"{issuer}/.well-known/openid-configuration", timeout=5).raise_for_status()
        settings.KYIVID_ISSUER = issuer
        # The login form is sent on to the provider: the policy allows its origin, as
        # it does when KYIVID_ISSUER is set at start-up (config/settings.py).
        policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
        policy["DIRECTIVES"]["form-action"] = [*policy["DIRECTIVES"]["form-action"], issuer]
        settings.CONTENT_SECURITY_POLICY = policy
        settings.SOCIALACCOUNT_PROVIDERS = {
            "kyivid": {
                "APPS": [
                    {
                        "client_id": CLIENT_ID,
                        "secret": CLIENT_SECRET,
                        "settings": {"server_url": issuer},
                    }
                ],
                "OAUTH_PKCE_ENABLED": True,
            }
        }
        yield issuer
    finally:
        server.terminate()
        server.wait(timeout=10)


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
