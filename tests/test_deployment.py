"""Production settings: HTTPS only, a Content-Security-Policy without inline
code, and nothing seen signed in kept in a cache."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import KindergartenFactory
from tests.factories_accounts import person

ROOT = Path(__file__).resolve().parents[1]


def test_the_deployment_check_with_production_settings_warns_of_nothing():
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SADOK_", "DJANGO_", "KYIVID_"))
    }
    env.update(
        SADOK_SECRET_KEY=secrets.token_urlsafe(50),
        SADOK_ALLOWED_HOSTS="sadok.kyiv.ua",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    checked = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "no issues" in checked.stdout


@pytest.mark.django_db
def test_every_page_carries_a_policy_without_inline_code(client):
    KindergartenFactory()
    response = client.get(reverse("kindergartens:directory"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    nonce = policy.split("'nonce-")[1].split("'")[0]
    # The map's one inline call (django-leaflet's) carries the request's nonce.
    html = response.content.decode()
    inline = [part for part in html.split("<script")[1:] if "src=" not in part.split(">")[0]]
    executable = [s for s in inline if 'type="application/json"' not in s.split(">")[0]]
    assert executable
    assert all(f'nonce="{nonce}"' in s.split(">")[0] for s in executable)
    assert " style=" not in html


@pytest.mark.django_db
def test_pages_seen_signed_in_are_never_stored(client):
    KindergartenFactory()
    public = reverse("kindergartens:directory")
    assert "no-store" not in client.get(public).get("Cache-Control", "")
    client.force_login(person("parent@example.com"))
    for url in (public, reverse("cabinet:home"), reverse("cabinet:inbox")):
        assert "no-store" in client.get(url)["Cache-Control"], url
