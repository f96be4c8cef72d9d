"""The allocation benchmarks of the queue-engine issue, from one run.

(a), (b) and the pure "+2" come from `allocation_core.py` (no database). Then a
Kyiv-scale city is written to a scratch PostgreSQL database (`sadok_bench`,
dropped and created anew) and this script measures:

(c) the whole September wave end to end (read, compute, write offers, the
    engine's decisions, cabinet messages, the e-mail/SMS outbox and the domain
    events, commit)
    against inserting and committing the same rows again, by `bulk_create` and
    by COPY;
(d) peak memory of that wave (tracemalloc peak and the process's max RSS);
(e) the latency of one "+1" declared by a head on the Kyiv-scale database,
    with the wave's offers open, and (f) a child's positions in all its queues
    against a primary-key lookup of the child: `latency.py`, in a process of its
    own as a web server's worker would run them;
(g) in a process of its own, the public statistics page, a group's anonymised
    queue and their API forms against a bare Django view (`pages.py`);
(h) the public log of the city and its wave replayed through the rules, as the
    standalone verifier does, against the wave's own end-to-end time;
(i) the deadlines of the wave after (e) and (f): the reminder sweep against COPY of
    its outbox rows, the expiry sweep re-offering a quarter of the wave's places
    against the wave's own time for as many, and a head's "+1" while it runs
    (`deadlines.py`).

Usage: .venv/bin/python benchmarks/allocation.py [--skip-core] [--small] [--snapshot]
(`latency.py` runs (e) and (f) alone, on the database a full run left;
`deadlines.py WAVE_S PLACES` runs (i) on it, once: it changes the offers; with
`--snapshot`, a copy of the database before (i) is kept for running it again.)
It prints ratios against baselines measured in the same run; it is not a test.
"""

from __future__ import annotations

import datetime as dt
import gc
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
from city_db import fresh_database, load, use_bench_database  # noqa: E402  (the path above first)

use_bench_database()

import allocation_core  # noqa: E402
from allocation_core import AT, line, make_city  # noqa: E402
from measure import reinsert, rows_of  # noqa: E402

HERE = Path(__file__).resolve().parent


def log_replay(wave_s: float) -> None:
    """(h): the public log of the city and its wave, replayed as the standalone
    verifier does (`sadok.allocation.replay` over the entries the API serves),
    against the wave's own end-to-end time."""
    from django.conf import settings

    from sadok.allocation.replay import replay
    from sadok.journal.log import log_append, log_rows
    from sadok.journal.models import Event, LogCursor

    print("\n(h) the public log's replay against the wave itself")
    # The rolled-back wave above left a gap in the event ids: nothing else runs here.
    settings.SADOK_LOG_GAP_SECONDS = 0
    last = Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    t0 = time.perf_counter()
    while LogCursor.objects.filter(pk=1, event_id=last).count() == 0:
        log_append(limit=50_000)
    line("publishing the log (hash chain):", f"{time.perf_counter() - t0:8.2f} s")
    t0 = time.perf_counter()
    entries = list(log_rows())
    line("reading its entries:", f"{time.perf_counter() - t0:8.2f} s  ({len(entries)} entries)")
    gc.collect()
    t0 = time.perf_counter()
    found = replay(entries)
    replay_s = time.perf_counter() - t0
    line(
        "replay (sadok.allocation.replay):",
        f"{replay_s:8.2f} s  ({found.runs} runs, {found.offers} offers replayed, "
        f"{len(found.mismatches)} not explained)",
    )
    line("ratio replay / wave:", f"{replay_s / wave_s:8.2f}x  (goal <= 3x)")


def main() -> None:
    if "--skip-core" not in sys.argv:
        allocation_core.main()
    import django

    start = time.perf_counter()
    fresh_database()
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    # --small: a tenth of Kyiv, to try the script out (its figures are not the goals').
    scale = 10 if "--small" in sys.argv else 1
    city = make_city(
        kindergartens=600 // scale, applicants=120_000 // scale, places=25_000 // scale
    )
    group_ids = load(city)
    from django.db import connection as conn

    with conn.cursor() as cursor:
        # As autovacuum would after the load: plans need statistics, and index-only
        # scans (a queue read from the keys' index) need the visibility map.
        cursor.execute("VACUUM ANALYZE")
    print(f"\nPostgreSQL: the same Kyiv-scale city written in {time.perf_counter() - start:.0f} s")

    import time_machine
    from django.db import transaction

    from sadok.journal.models import Event
    from sadok.notifications.models import Delivery, Message
    from sadok.offers.models import Decision, Offer, Place
    from sadok.offers.services import wave_run

    # The journal, and so the public log, begins with the city: written by a process
    # of its own, so that its memory does not count in (d).
    subprocess.run([sys.executable, __file__, "--genesis"], check=True)  # noqa: S603

    now = dt.datetime.combine(AT, dt.time(9), tzinfo=dt.UTC) - dt.timedelta(days=2)
    with time_machine.travel(now, tick=True):
        Place.objects.bulk_create(
            (
                Place(group_id=group_ids[p.group], declared_at=now, wave_date=AT)
                for p in city.places
            ),
            batch_size=10_000,
        )
        print("\n(c) the September wave end to end on PostgreSQL (read, compute, write)")
        # (d) first, in a transaction rolled back: tracemalloc slows Python down, so
        # the timed run below goes without it.
        gc.collect()
        with transaction.atomic():
            tracemalloc.start()
            wave_run(on=AT)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            transaction.set_rollback(True)
        gc.collect()
        before = Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        t0 = time.perf_counter()
        result, _run, places = wave_run(on=AT)
        wave_s = time.perf_counter() - t0
        written = {
            model: rows_of(model.objects.all()) for model in (Offer, Decision, Message, Delivery)
        } | {Event: rows_of(Event.objects.filter(pk__gt=before))}  # not the genesis
        rows = sum(len(r) for _, r, _ in written.values())
        line(
            "wave_run():",
            f"{wave_s:8.2f} s  ({places} places, {len(result.offers)} offers, {rows} rows written:"
            f" {', '.join(f'{len(r)} {m._meta.model_name}' for m, (_, r, _) in written.items())})",
        )
        # Baselines: the same rows inserted again in one committed transaction, by
        # the ORM's bulk insert (bulk_create) and by the database's fastest path (COPY).
        bulk_s = reinsert(written, copy=False)
        copy_s = reinsert(written, copy=True)
        line("bulk insert (bulk_create):", f"{bulk_s:8.2f} s")
        line("COPY of the same rows:", f"{copy_s:8.2f} s")
        line("ratio wave / bulk insert:", f"{wave_s / bulk_s:8.2f}x  (goal <= 3x)")
        line("ratio wave / COPY:", f"{wave_s / copy_s:8.2f}x")

        print("\n(d) peak memory of the wave on PostgreSQL")
        line("tracemalloc peak:", f"{peak / 2**20:8.0f} MiB")
        line(
            "process max RSS:",
            f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:8.0f} MiB"
            "  (goal <= 1 GiB)",
        )

        log_replay(wave_s)

    # (e) in a process of its own, as a head's request runs in a web server's worker:
    # not in this one, which holds the synthetic city and the wave's rows in memory.
    sys.stdout.flush()
    subprocess.run([sys.executable, HERE / "latency.py"], check=True)  # noqa: S603
    # (i) after (e) and (f), which read the wave's offers open.
    if "--snapshot" in sys.argv:
        snapshot()
    subprocess.run(  # noqa: S603
        [sys.executable, HERE / "deadlines.py", str(wave_s), str(places)], check=True
    )
    # (g) likewise: the public pages, as a web server's worker serves them.
    subprocess.run([sys.executable, HERE / "pages.py"], check=True)  # noqa: S603
    print(f"\ntotal {time.perf_counter() - start:.0f} s")


def snapshot() -> None:
    """Keep the database as (i) finds it, as `sadok_bench_before_deadlines`: (i)
    changes it, and runs again on a copy of that (`BENCH_DATABASE_URL`)."""
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        c.execute("DROP DATABASE IF EXISTS sadok_bench_before_deadlines")
        c.execute("CREATE DATABASE sadok_bench_before_deadlines TEMPLATE sadok_bench")


def genesis() -> None:
    import django

    django.setup()
    from sadok.offers.genesis import genesis_ensure

    genesis_ensure()


if __name__ == "__main__":
    if "--genesis" in sys.argv:
        genesis()
    else:
        main()
