"""(i) of the allocation benchmarks: the deadlines of the wave, on the Kyiv-scale
database after (e) and (f), which read the wave's offers open. Once: it changes them.

The reminder sweep for every offer of the wave against COPY of the outbox rows it
writes; then, three quarters of the families having accepted (set directly), the
expiry sweep for the quarter that did not answer, re-offering their places, against
the wave's own time for that many places (its end-to-end time scaled by the share of
places), in a process of its own while this one declares "+1"s alongside: their p95
against the p95 of "+1"s declared just before, at rest.

Run by `allocation.py` as `deadlines.py WAVE_S PLACES` (the wave's time and places);
again by hand on a copy of the database `allocation.py --snapshot` kept
(`BENCH_DATABASE_URL`), with `BENCH_PROFILE=FILE` to profile the expiry sweep.
It prints ratios against baselines measured in the same run; it is not a test.
"""

from __future__ import annotations

import datetime as dt
import gc
import itertools
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
from city_db import use_bench_database  # noqa: E402  (the path above first)

use_bench_database()

from allocation_core import line  # noqa: E402
from measure import open_groups, p95, plus_ones, reinsert, rows_of  # noqa: E402


def main(wave_s: float, wave_places: int) -> None:
    import django

    django.setup()
    import time_machine
    from django.db.models import Max

    from sadok.notifications.models import Delivery, Message
    from sadok.offers.lifecycle import deadlines_process
    from sadok.offers.models import Offer, OfferStatus
    from sadok.queue.records import queue_records_refresh

    print("\n(i) the deadlines of the wave")
    offered = Offer.objects.filter(status=OfferStatus.OFFERED)
    remind = offered.aggregate(at=Max("remind_at"))["at"] + dt.timedelta(minutes=1)
    with time_machine.travel(remind, tick=True):
        message = Message.objects.aggregate(last=Max("pk"))["last"] or 0
        delivery = Delivery.objects.aggregate(last=Max("pk"))["last"] or 0
        gc.collect()
        t0 = time.perf_counter()
        report = deadlines_process()
        remind_s = time.perf_counter() - t0
        written = {
            Message: rows_of(Message.objects.filter(pk__gt=message)),
            Delivery: rows_of(Delivery.objects.filter(pk__gt=delivery)),
        }
        rows = sum(len(r) for _, r, _ in written.values())
        line(
            "reminder sweep:",
            f"{remind_s:8.2f} s  ({len(report.reminded)} offers reminded, {rows} outbox rows,"
            f" batches of {settings_batch('SADOK_REMIND_BATCH')})",
        )
        copy_s = reinsert(written, copy=True)
        line("COPY of the same outbox rows:", f"{copy_s:8.2f} s")
        line("ratio reminders / COPY:", f"{remind_s / copy_s:8.2f}x  (goal <= 3x)")

    # Three families in four answer (set directly: the bench is about the rest).
    rnd = random.Random(9)
    pks = sorted(offered.values_list("pk", flat=True))
    answered = set(rnd.sample(pks, k=len(pks) * 3 // 4))
    deadline = offered.aggregate(at=Max("answer_by"))["at"]
    Offer.objects.filter(pk__in=answered).update(
        status=OfferStatus.ACCEPTED,
        accepted_at=deadline - dt.timedelta(days=1),
        documents_by=deadline + dt.timedelta(days=30),
    )
    # As `offer_accept` would: their queue records say they hold a place now (those
    # who do not wait for a better one leave the queues' keys).
    queue_records_refresh(
        children=list(Offer.objects.filter(pk__in=answered).values_list("child_id", flat=True))
    )
    ignored = len(pks) - len(answered)
    declared = plus_ones(rnd, open_groups())
    with time_machine.travel(deadline - dt.timedelta(hours=1), tick=True):
        next(declared)  # warm-up
        rest = [took for took, _run in itertools.islice(declared, 40)]
    at = deadline + dt.timedelta(seconds=1)
    sys.stdout.flush()
    sweep = subprocess.Popen(  # noqa: S603
        [sys.executable, __file__, "--expiry-sweep", at.isoformat()],
        stdout=subprocess.PIPE,
        text=True,
    )
    if sweep.stdout is None:
        raise RuntimeError("the sweep's process has no pipe")
    sweep.stdout.readline()  # set up, sweeping now
    with time_machine.travel(at, tick=True):
        # Every "+1" begun while the sweep runs, the last one included: it may have
        # waited for the sweep's last batch to commit.
        busy = []
        for took, _run in declared:
            busy.append(took)
            if sweep.poll() is not None:
                break
    out, _ = sweep.communicate()
    expired, expiry_s = out.split()[-2:]
    share_s = wave_s * int(expired) / wave_places
    line(
        "expiry sweep, re-offering:",
        f"{float(expiry_s):8.2f} s  ({expired} of {len(pks)} offers expired, their places"
        f" re-offered in batches of {settings_batch('SADOK_SWEEP_BATCH')};"
        f' {len(busy)} "+1"s declared meanwhile)',
    )
    line(
        "the wave for as many places:",
        f"{share_s:8.2f} s  ({wave_s:.2f} s x {expired}/{wave_places})",
    )
    line("ratio expiry / wave's share:", f"{float(expiry_s) / share_s:8.2f}x  (goal <= 2x)")
    line(
        '"+1" p95 at rest / in the sweep:',
        f"{p95(rest) * 1000:.0f} / {p95(busy) * 1000:.0f} ms"
        f"  ratio {p95(busy) / p95(rest):.2f}x  (goal <= 4x)",
    )
    line(
        '"+1" longest in the sweep:', f"{max(busy) * 1000:8.0f} ms  (waited for a batch to commit)"
    )
    # "+1"s may have withdrawn an ignored offer for an upgrade: none may be left open.
    left = Offer.objects.filter(status=OfferStatus.OFFERED, answer_by__lt=at).count()
    if left:
        line("OFFERS PAST THEIR DEADLINE LEFT OPEN:", f"{left} (of {ignored} ignored)")


def settings_batch(name: str) -> int:
    from django.conf import settings

    return int(getattr(settings, name))


def expiry_sweep(at: str) -> None:
    """(i)'s expiry sweep, in a process of its own: prints how many offers it expired
    and its time."""
    import django

    django.setup()
    import time_machine

    from sadok.offers.lifecycle import deadlines_process

    with time_machine.travel(dt.datetime.fromisoformat(at), tick=True):
        print("sweeping", flush=True)
        t0 = time.perf_counter()
        if os.environ.get("BENCH_PROFILE"):
            import cProfile

            with cProfile.Profile() as profile:
                report = deadlines_process()
            profile.dump_stats(os.environ["BENCH_PROFILE"])
        else:
            report = deadlines_process()
        print(len(report.expired), time.perf_counter() - t0)


if __name__ == "__main__":
    if "--expiry-sweep" in sys.argv:
        expiry_sweep(sys.argv[-1])
    else:
        main(float(sys.argv[-2]), int(sys.argv[-1]))
