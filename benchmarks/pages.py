"""(g) The public pages of the open-statistics issue on the Kyiv-scale database the
wave left, against a bare Django view in the same process: the statistics page, a
group's anonymised queue (the longest queue's first page and a page deep in it), and
their API forms. Each through the whole stack (middleware, sessions, CSP, the
template), by Django's test client, one request at a time after two warm-up calls.

Run by `allocation.py` in a process of its own (as a web server's worker would
serve them); `python benchmarks/pages.py` alone runs it on the database a full run
left. It prints ratios against the bare view; it is not a test.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
from city_db import use_bench_database  # noqa: E402  (the path above first)

use_bench_database()
os.environ["SADOK_ALLOWED_HOSTS"] = "testserver"
os.environ["SADOK_API_RATE"] = "1000000/min"

from allocation_core import line  # noqa: E402

REQUESTS = 40


def _timed(client, url: str) -> tuple[float, float, int]:  # type: ignore[no-untyped-def]
    """(requests a second, p95 in ms, bytes) of `url`, one request at a time."""
    for _ in range(2):
        response = client.get(url, secure=True)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: {response.status_code}")
    times = []
    for _ in range(REQUESTS):
        t0 = time.perf_counter()
        response = client.get(url, secure=True)
        times.append(time.perf_counter() - t0)
    times.sort()
    return (
        len(times) / sum(times),
        times[round(0.95 * len(times)) - 1] * 1000,
        len(response.content),
    )


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db.models import Count
    from django.test import Client, override_settings

    from sadok import clock
    from sadok.kindergartens.models import Group
    from sadok.queue.models import QueueKey

    call_command("collectstatic", interactive=False, verbosity=0)  # as a deployment has
    print("\n(g) public pages on the Kyiv-scale database vs a bare Django view, same process")
    from sadok.opendata.selectors import public_queue_length

    busiest = (
        QueueKey.objects.values("kindergarten_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("kindergarten_id", flat=True)
        .first()
    )
    today = clock.today()
    group, size = max(
        (
            (g, public_queue_length(group=g, at=today))
            for g in Group.objects.select_related("kindergarten", "specialisation").filter(
                kindergarten_id=busiest or 0
            )
        ),
        key=lambda pair: pair[1],
    )
    base = f"/kindergartens/{group.kindergarten.number}/groups/{group.pk}/queue/"
    # (label, url, whether the issue sets the goal for it)
    pages = [
        ("statistics page", "/stats/", True),
        ("statistics, one table's JSON", "/stats/queue-by-district.json", False),
        (f"queue page ({size} in queue)", base, True),
        ("queue page, deep page", f"{base}?page=10", True),
        ("API: the group's queue", f"/api/groups/{group.pk}/queue?limit=100", False),
        ("API: every statistic", "/api/statistics", False),
    ]
    with override_settings(ROOT_URLCONF="bare_urls"):
        client = Client()
        bare, p95, _ = _timed(client, "/bench/bare/")
        line("bare view (baseline):", f"{bare:8.0f} req/s  p95 {p95:7.1f} ms")
        for kept in (True, False):
            print(
                "    -- kept whole for a visitor with no session (SADOK_PUBLIC_CACHE_SECONDS)"
                if kept
                else "    -- computed on every request (the cache off: a page's first visitor)"
            )
            with override_settings(SADOK_PUBLIC_CACHE_SECONDS=60 if kept else 0):
                for label, url, goal in pages:
                    rate, p95, size_ = _timed(client, url)
                    wanted = "  (goal >= 0.5x)" if goal and kept else ""
                    line(
                        f"{label}:",
                        f"{rate:8.0f} req/s  p95 {p95:7.1f} ms  {size_ / 1024:6.1f} kB"
                        f"  ratio {rate / bare:5.2f}x{wanted}",
                    )
    line("date of the figures:", str(clock.today()))


if __name__ == "__main__":
    main()
