"""(e) and (f) of the allocation benchmarks, on the Kyiv-scale database the wave left
(its offers open), in a process of its own as a web server's worker runs them:

(e) the latency of one "+1" declared by a head (median and p95 over 50 groups with
    room, after one warm-up call; runs with and without an upgrade cascade also
    apart);
(f) a child's positions in all its queues (the child page's `standings_of`) against
    a primary-key lookup of the child.

Run by `allocation.py`; `python benchmarks/latency.py` alone runs it on the database
a full run left. It prints ratios against baselines measured in the same run; it is
not a test.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
from city_db import use_bench_database  # noqa: E402  (the path above first)

use_bench_database()

from allocation_core import AT, line  # noqa: E402
from measure import open_groups, p95, plus_ones  # noqa: E402


def main() -> None:
    """(e): one "+1" at a time on the database the wave left, its offers open."""
    import django

    django.setup()
    import time_machine

    now = dt.datetime.combine(AT, dt.time(9), tzinfo=dt.UTC) - dt.timedelta(days=2)
    with time_machine.travel(now, tick=True):
        print('\n(e) one "+1" by a head on the Kyiv-scale database, the wave\'s offers open')
        rnd = random.Random(5)
        from sadok.offers import engine

        # Counted, not changed: the rounds of each run, and how many read a head
        # again because the walk went past it (`engine._short`).
        reads = {"rounds": 0, "again": 0}
        queues_read = engine._queues_read

        def counted(*, heads, at):  # type: ignore[no-untyped-def]
            reads["rounds"] += 1
            reads["again"] += any(limit > engine.HEAD for limit in heads.values())
            return queues_read(heads=heads, at=at)

        engine._queues_read = counted
        declared = plus_ones(rnd, open_groups())
        next(declared)  # the first call imports and warms caches: not counted
        reads["again"] = 0
        rounds: list[int] = []
        times: list[float] = []
        plain: list[float] = []  # runs without an upgrade cascade
        for elapsed, run in itertools.islice(declared, 50):
            times.append(elapsed)
            rounds.append(reads["rounds"])
            reads["rounds"] = 0
            if not (run and run.summary["withdrawn"]):
                plain.append(elapsed)
        times.sort()
        plain.sort()
        line(
            "runs, plain / with a cascade:",
            f"{len(plain)} / {len(times) - len(plain)}"
            "  (cascade: an upgrade frees a place elsewhere)",
        )
        line(
            "plain runs, median / p95:",
            f"{statistics.median(plain) * 1000:.0f} / {p95(plain) * 1000:.0f} ms",
        )
        line(
            "rounds per run, most:",
            f"{max(rounds)}  (one query each; {reads['again']} read a queue's head again)",
        )
        line(
            "all runs, median/p95/max:",
            f"{statistics.median(times) * 1000:.0f} / {p95(times) * 1000:.0f} / "
            f"{times[-1] * 1000:.0f} ms  (goal p95 <= 50 ms)",
        )
        positions()


def positions() -> None:
    """(f): where a child stands in all its queues, now and on 1 September, against a
    primary-key lookup of the child, on the same database: 300 random registered
    children, each timed in turn. Two lines: the database's count over the child's
    queues (`positions_of`), and all the child page reads for its kindergartens
    (`standings_of`: its choices, their kindergartens and groups, and the count)."""
    from sadok import clock
    from sadok.applications.models import Child
    from sadok.queue.models import QueueRecord
    from sadok.queue.selectors import (
        chosen_of,
        group_spec,
        next_september,
        positions_of,
        standings_of,
    )

    print("\n(f) a child's positions in all its queues vs a primary-key lookup of the child")
    rnd = random.Random(6)
    ids = rnd.sample(list(QueueRecord.objects.values_list("pk", flat=True)), 301)
    today = clock.today()
    lookups: list[float] = []
    standings: list[float] = []
    counts: list[float] = []
    queues = 0
    september = next_september(today)
    for n, pk in enumerate(ids):
        t0 = time.perf_counter()
        child = Child.objects.get(pk=pk)
        t1 = time.perf_counter()
        found = standings_of(child=child, today=today)
        t2 = time.perf_counter()
        # The count alone: the child's queues (groups of its kindergartens whose
        # band holds its age, now and on 1 September) are known.
        mine = [
            (group_spec(g), at)
            for at in (today, september)
            for _, groups in chosen_of(child=child, at=today).choices
            for g in groups
            if g.age_range.holds_child(born=child.born, at=at)
        ]
        t3 = time.perf_counter()
        positions_of(child=child.pk, queues=mine)
        t4 = time.perf_counter()
        if n == 0:
            continue  # warm-up
        lookups.append(t1 - t0)
        standings.append(t2 - t1)
        counts.append(t4 - t3)
        queues += sum(
            (s.position_now is not None) + (s.position_september is not None) for s in found
        )
    lookups.sort()
    standings.sort()
    counts.sort()

    line(
        "primary-key lookup, median / p95:",
        f"{statistics.median(lookups) * 1000:.2f} / {p95(lookups) * 1000:.2f} ms",
    )
    line(
        "positions counted, median / p95:",
        f"{statistics.median(counts) * 1000:.2f} / {p95(counts) * 1000:.2f} ms"
        "  (the database's count over the child's queues)",
    )
    line(
        "ratio count / lookup:",
        f"{statistics.median(counts) / statistics.median(lookups):8.2f}x median, "
        f"{p95(counts) / p95(lookups):.2f}x p95  (goal <= 3x)",
    )
    line(
        "the child page's read, median / p95:",
        f"{statistics.median(standings) * 1000:.2f} / {p95(standings) * 1000:.2f} ms"
        f"  ({queues / len(standings):.1f} positions a child)",
    )
    line(
        "ratio page's read / lookup:",
        f"{statistics.median(standings) / statistics.median(lookups):8.2f}x median, "
        f"{p95(standings) / p95(lookups):.2f}x p95  (with the choices' names and groups)",
    )


if __name__ == "__main__":
    main()
