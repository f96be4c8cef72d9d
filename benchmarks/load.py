"""Sadok under gunicorn with a local load generator (locust), on the Kyiv-scale
database `make bench` leaves (`sadok_bench`: the city and its wave's offers open).

Each page is driven alone by locust on 127.0.0.1 (bounded: `SECONDS` a scenario,
`USERS` visitors each requesting as fast as answered) while, in a process of its
own, heads declare "+1" one after another: throughput against a bare Django view
served by the same gunicorn in the same run, the p95 of each page, and the p95 of
the heads' "+1" meanwhile. Family pages run on real families' sessions (families
with an open offer); "answer" opens the child's page and accepts the offer, each
family once.

Usage: .venv/bin/python benchmarks/load.py   (after `make bench`)
It prints measurements and ratios; it is not a test.
"""

from __future__ import annotations

import csv
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SECONDS = int(os.environ.get("SADOK_LOAD_SECONDS", "15"))
USERS = int(os.environ.get("SADOK_LOAD_USERS", "16"))
SCENARIOS = ("bare", "kindergarten", "map", "statistics", "cabinet", "child", "answer")
ENV = {
    **os.environ,
    "DATABASE_URL": os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sadok_bench"
    ),
    "SADOK_DEBUG": "0",
    "SADOK_SECRET_KEY": secrets.token_urlsafe(40),
    "SADOK_ALLOWED_HOSTS": "127.0.0.1",
    "SADOK_SSL_REDIRECT": "0",
    "SADOK_SECURE_COOKIES": "0",
    "DJANGO_SETTINGS_MODULE": "load_settings",
    "PYTHONPATH": f"{ROOT / 'benchmarks'}:{ROOT}",
}


def _families(n: int) -> tuple[list[dict[str, object]], list[int]]:
    """Sessions of `n` families with an open offer, and the kindergartens' numbers."""
    import django

    os.environ.update(ENV)
    sys.path[:0] = [str(ROOT / "benchmarks"), str(ROOT)]
    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from sadok.applications.models import Guardianship
    from sadok.kindergartens.models import Kindergarten
    from sadok.offers.models import Offer, OfferStatus

    offers = Offer.objects.filter(status=OfferStatus.OFFERED).order_by("pk")[:n]
    guardian = dict(
        Guardianship.objects.filter(child__in=[o.child_id for o in offers]).values_list(
            "child_id", "user"
        )
    )
    from sadok.accounts.models import User

    users = User.objects.in_bulk(guardian.values())
    families: list[dict[str, object]] = []
    for offer in offers:
        user = users[guardian[offer.child_id]]
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        families.append(
            {"session": session.session_key, "child": offer.child_id, "offer": offer.pk}
        )
    numbers = list(Kindergarten.objects.values_list("number", flat=True))
    return families, numbers


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _heads(seconds: float, out: Path) -> subprocess.Popen[str]:
    """Heads declaring "+1" one after another, each timed, for `seconds`."""
    code = f"""
import json, random, time, django
django.setup()
from django.core.exceptions import ValidationError
from sadok.kindergartens.models import Group
from sadok.offers.services import places_declare
groups = list(Group.objects.filter(band_review=False).values_list("pk", flat=True))
rng, took, end = random.Random(7), [], time.monotonic() + {seconds}
while time.monotonic() < end:
    group = Group.objects.get(pk=rng.choice(groups))
    start = time.perf_counter()
    try:
        places_declare(group=group, count=1, user=None)
    except ValidationError:
        continue
    took.append(time.perf_counter() - start)
open({str(out)!r}, "w").write(json.dumps(took))
"""
    return subprocess.Popen([sys.executable, "-c", code], env=ENV, cwd=ROOT, text=True)  # noqa: S603


def _locust(scenario: str, host: str, env: dict[str, str], work: Path) -> tuple[float, float]:
    prefix = work / scenario
    subprocess.run(  # noqa: S603
        [
            str(BIN / "locust"),
            *("-f", str(ROOT / "benchmarks" / "locustfile.py"), "--headless"),
            *("-u", str(USERS), "-r", str(USERS), "-t", f"{SECONDS}s"),
            *("--host", host, "--csv", str(prefix), "--only-summary", "--loglevel", "ERROR"),
        ],
        env={**env, "SADOK_LOAD_SCENARIO": scenario},
        check=True,
        capture_output=True,
    )
    with open(f"{prefix}_stats.csv", newline="") as rows:
        total = next(r for r in csv.DictReader(rows) if r["Name"] == "Aggregated")
    if total["95%"] == "N/A":
        sys.exit(f"{scenario}: no request answered; see {prefix}_failures.csv")
    return float(total["Requests/s"]), float(total["95%"])


def main() -> None:
    families, numbers = _families(5000)
    if not families:
        sys.exit("No open offers in sadok_bench: run `make bench` first.")
    work = Path(tempfile.mkdtemp(prefix="sadok-load-"))
    env = {
        **ENV,
        "SADOK_STATIC_ROOT": str(work / "static"),
        "SADOK_LOAD_FAMILIES": str(work / "families.json"),
        "SADOK_LOAD_KINDERGARTENS": json.dumps(numbers),
    }
    (work / "families.json").write_text(json.dumps(families))
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603
        [str(BIN / "gunicorn"), "-c", "config/gunicorn.conf.py", "config.wsgi"],
        cwd=ROOT,
        env={
            **env,
            "SADOK_BIND": f"127.0.0.1:{port}",
            "SADOK_WEB_WORKERS": "4",
            "SADOK_ACCESS_LOG": "",
        },
        stderr=subprocess.PIPE,
        text=True,
    )
    booted = 0
    for line in server.stderr or ():
        booted += "Booting worker" in line
        if booted == 4:
            break
    # Each process loads Django after it boots: warm them all before measuring.
    for _ in range(40):
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/stats/", timeout=120):
            pass
    heads_out = work / "heads.json"
    heads = _heads(SECONDS * len(SCENARIOS) + 5, heads_out)
    print(f"\nunder gunicorn (4 processes × 4 threads), {USERS} visitors for {SECONDS} s a page,")
    print('heads declaring "+1" one after another meanwhile')
    try:
        results = {s: _locust(s, f"http://127.0.0.1:{port}", env, work) for s in SCENARIOS}
    finally:
        heads.wait()
        server.terminate()
        server.wait()
    bare = results["bare"][0]
    for scenario, (rate, p95) in results.items():
        goal = "" if scenario == "bare" else "  (goal >= 0.5x)"
        print(
            f"    {scenario:<14} {rate:8.0f} req/s  p95 {p95:6.0f} ms"
            f"  ratio {rate / bare:5.2f}x{goal}"
        )
    took = json.loads(heads_out.read_text())
    if took:
        p95 = statistics.quantiles(took, n=20)[-1] * 1000 if len(took) > 1 else took[0] * 1000
        print(
            f'    heads\' "+1" meanwhile: {len(took)} declared, median '
            f"{statistics.median(took) * 1000:.0f} ms, p95 {p95:.0f} ms"
        )
    print(f"    date of the figures:          {time.strftime('%Y-%m-%d')}")


if __name__ == "__main__":
    main()
