"""Browser tests: Playwright drives Debian's Chromium against the live server."""

import copy
import os
import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

# Playwright's sync API runs an event loop in the test thread; the ORM calls made
# by fixtures there are still plain synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

OUTPUT = Path(__file__).resolve().parents[2] / "test-output" / "e2e"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.fail("Chromium is not installed: apt-get install -y chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="uk-UA")
    page = context.new_page()
    page.set_default_timeout(15_000)
    # Every browser test also checks the Content-Security-Policy: nothing refused.
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    context.close()
    assert refused == []


@pytest.fixture
def screenshot(page):
    OUTPUT.mkdir(parents=True, exist_ok=True)

    def take(name: str, of=None) -> Path:
        """Save a full-page screenshot of `of` (default: the test's page)."""
        path = OUTPUT / f"{name}.png"
        (of or page).screenshot(path=str(path), full_page=True)
        return path

    return take


# -- the demo's KyivID stand-in ------------------------------------------------------

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
