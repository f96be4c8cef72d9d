"""Production settings: HTTPS only, a Content-Security-Policy without inline
code, and nothing seen signed in kept in a cache."""

import os
import re
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
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    # The map is created by sadok/map.js from options carried as data: the page has
    # no inline code to allow, not even by a nonce.
    html = response.content.decode()
    inline = [part for part in html.split("<script")[1:] if "src=" not in part.split(">")[0]]
    assert inline  # the markers and the map's options
    assert all('type="application/json"' in s.split(">")[0] for s in inline)
    assert "nonce" not in policy
    assert " style=" not in html


@pytest.mark.django_db
def test_pages_seen_signed_in_are_never_stored(client):
    KindergartenFactory()
    public = reverse("kindergartens:directory")
    assert "no-store" not in client.get(public).get("Cache-Control", "")
    client.force_login(person("parent@example.com"))
    for url in (public, reverse("cabinet:home"), reverse("cabinet:inbox")):
        assert "no-store" in client.get(url)["Cache-Control"], url


def _production_env(**extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SADOK_", "DJANGO_", "KYIVID_", "DATABASE_URL"))
    }
    env.update(
        SADOK_SECRET_KEY=secrets.token_urlsafe(50),
        SADOK_ALLOWED_HOSTS="127.0.0.1",
        SADOK_SSL_REDIRECT="0",
        DJANGO_SETTINGS_MODULE="config.settings",
        **extra,
    )
    return env


@pytest.mark.django_db(transaction=True)
def test_gunicorn_serves_the_site_its_static_files_and_its_health(tmp_path):
    """The production processes as docs/operations.md runs them: static files
    collected (compressed, with hashed names) and served by whitenoise, the site
    by gunicorn with `config/gunicorn.conf.py`."""
    import socket
    import urllib.request

    from django.db import connection

    database = connection.settings_dict
    env = _production_env(
        DATABASE_URL=f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}"
        f"/{database['NAME']}",
        SADOK_STATIC_ROOT=str(tmp_path / "static"),
        SADOK_WEB_WORKERS="1",
    )
    for command in (
        ("collectstatic", "--no-input", "--verbosity", "0"),
        # The shared cache's table, which production's migrations make (the test
        # database was migrated with the tests' in-memory caches).
        ("createcachetable",),
    ):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    env["SADOK_BIND"] = f"127.0.0.1:{port}"
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "-c", "config/gunicorn.conf.py", "config.wsgi"],
        cwd=ROOT,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for line in server.stderr:  # ready once a worker has booted
            if "Booting worker" in line:
                break
        base = f"http://127.0.0.1:{port}"
        with urllib.request.urlopen(f"{base}/health/live", timeout=30) as answer:  # noqa: S310
            assert answer.status == 200
            assert b'"database": true' in answer.read()
        with urllib.request.urlopen(f"{base}/", timeout=30) as answer:  # noqa: S310
            page = answer.read().decode()
        css = page.split('href="/static/sadok/sadok.')[1].split('"')[0]
        assert re.fullmatch(r"[0-9a-f]{12}\.css", css)  # a hashed, cacheable name
        with urllib.request.urlopen(f"{base}/static/sadok/sadok.{css}", timeout=30) as answer:  # noqa: S310
            assert answer.status == 200
            assert "max-age=315360000" in answer.headers["Cache-Control"]
    finally:
        server.terminate()
        server.wait(timeout=30)
