"""The public log from outside: the API serves it and its head, and the standalone
verifier (tools/verify_public_log.py: the standard library and sadok.allocation, in
a Python with no Django) checks it against a running server and a saved head."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection, transaction

from sadok.journal.log import log_append, log_head, log_rows
from tests.journal.log_events import events_made, log_forge, log_rehash_from, log_starts_now

ROOT = Path(__file__).resolve().parents[2]
VERIFIER = ROOT / "tools" / "verify_public_log.py"


def _verify(url: str, *args: str) -> subprocess.CompletedProcess:
    # -I: isolated, none of the project's environment; -S: no site-packages (no Django).
    return subprocess.run(
        [sys.executable, "-I", "-S", str(VERIFIER), url, *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.django_db
def test_the_api_serves_the_log_page_by_page_with_its_head(client):
    log_starts_now()
    events_made(5)
    log_append()
    head = client.get("/api/log/head").json()
    assert head == {"seq": 5, "hash": log_head().hash}
    first = client.get("/api/log?after=0&limit=2").json()
    assert [e["seq"] for e in first["items"]] == [1, 2]
    assert first["head"] == head
    rest = client.get("/api/log?after=2").json()
    assert [e["seq"] for e in rest["items"]] == [3, 4, 5]
    assert rest["items"][0]["prev"] == first["items"][1]["hash"]


@pytest.mark.django_db(transaction=True)
def test_the_standalone_verifier_checks_a_running_server(live_server, settings):
    settings.SADOK_API_RATE = "100000/min"
    log_starts_now()
    events_made(1200)  # more than a page of the verifier's
    log_append()
    ok = _verify(live_server.url)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "OK: the public log holds: 1200 entries" in ok.stdout
    assert "OK: the rules explain every offer" in ok.stdout
    saved = re.search(r"--head (\S+)", ok.stdout).group(1)
    events_made(3)
    log_append()
    assert "1203 entries" in _verify(live_server.url, "--head", saved).stdout
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL sadok.log_repair = 'on'")
        cursor.execute("UPDATE journal_logentry SET reason = 'forged' WHERE seq = 700")
    bad = _verify(live_server.url, "--head", saved)
    assert bad.returncode == 1
    assert "entry 700: its hash does not match" in bad.stdout
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL sadok.log_repair = 'on'")
        cursor.execute("DELETE FROM journal_logentry WHERE seq > 600")
    cut = _verify(live_server.url, "--head", saved)
    assert cut.returncode == 1
    assert "truncated" in cut.stdout
    assert _verify("http://127.0.0.1:9/").returncode == 2  # nothing listening


@pytest.mark.django_db(transaction=True)
def test_the_standalone_verifier_replays_the_offers_and_finds_a_rewritten_one(
    live_server, settings, log_began, story
):
    """Offers, upgrades, a decline and a wave: the verifier explains each from the log;
    an offer handed to another child with the whole chain rehashed (no saved head to
    catch it) is named by the replay."""
    settings.SADOK_API_RATE = "100000/min"
    while log_append():
        pass
    ok = _verify(live_server.url)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    runs, offers = map(int, re.search(r"every offer: (\d+) runs, (\d+) offers", ok.stdout).groups())
    assert runs >= 4
    assert offers >= 4
    rows = list(log_rows())
    offer = next(r for r in rows if r["kind"] == "offer_made")
    other = next(
        r["application_number"]
        for r in rows
        if r["kind"] == "registered" and r["application_number"] != offer["application_number"]
    )
    log_forge(
        "UPDATE journal_logentry SET application_number = %s WHERE seq = %s",
        (other, offer["seq"]),
    )
    log_rehash_from(offer["seq"])
    forged = _verify(live_server.url)
    assert "OK: the public log holds" in forged.stdout  # the chain alone is fooled
    assert forged.returncode == 1
    run = next(
        r["seq"]
        for r in rows
        if r["kind"] == "allocation" and r["data"]["run"] == offer["data"]["run"]
    )
    assert f"entry {run}: the rules offer" in forged.stdout
