"""How fast is the pure queue engine on a Kyiv-scale city?

Prints, against baselines measured in the same run:
  (a) `wave()` vs a bare serial-dictatorship loop over plain tuples;
  (b) `wave()` vs the `matching` library's resident-optimal HospitalResident;
  (c) one `allocate()` for a "+2" in a city where the wave's offers are open;
  (d) the wave's peak memory (tracemalloc).

The city is random but fixed by a seed: 600 kindergartens in 10 districts,
3,000 groups, 120,000 children born over 6 years choosing ~5 kindergartens
mostly in their own district, ~10% privileged, 25,000 free places.

    .venv/bin/python benchmarks/allocation_core.py
"""

from __future__ import annotations

import calendar
import datetime as dt
import gc
import random
import statistics
import sys
import time
import tracemalloc
import warnings
from collections.abc import Callable
from typing import TypeVar

from sadok.allocation import (
    Allocation,
    GroupSpec,
    Place,
    allocate,
    eligibility,
    priority,
    wave,
)
from sadok.allocation.model import Reason
from sadok.demo.synthetic import AT, City
from sadok.demo.synthetic import synthetic_city as make_city

# The `matching` library's solve stays well under a minute at this size.
MATCHING_APPLICANTS = 10_000


T = TypeVar("T")
# (tier, registered_at, lottery, number, id, born, choices, referrals, standing ok,
# enrolled_in, keep_waiting): tuple order is the priority order (numbers are unique).
ChildRow = tuple[
    int,
    dt.datetime,
    int,
    str,
    int,
    dt.date,
    tuple[int, ...],
    frozenset[str],
    bool,
    int | None,
    bool,
]
GroupRow = tuple[int, int, int, str | None]  # kindergarten, from_months, to_months, referral
PlaceRow = tuple[int, int]  # place id, group id


def as_tuples(city: City) -> tuple[list[ChildRow], dict[int, GroupRow], list[PlaceRow]]:
    """The same city as bare tuples: what the baseline reads."""
    children = [
        (
            int(a.tier),
            a.registered_at,
            a.lottery,
            a.number,
            a.id,
            a.born,
            a.choices,
            a.referrals,
            a.active and a.verified and not a.flagged,
            a.enrolled_in,
            a.keep_waiting,
        )
        for a in city.applicants
    ]
    groups = {
        g.id: (g.kindergarten, g.ages.from_months, g.ages.to_months, g.referral)
        for g in city.groups.values()
    }
    places = [(p.id, p.group) for p in city.places]
    return children, groups, places


def bare_serial_dictatorship(
    children: list[ChildRow], groups: dict[int, GroupRow], places: list[PlaceRow], at: dt.date
) -> list[tuple[int, int, int]]:
    """The baseline: serial dictatorship written as tightly as plain Python allows."""
    left: dict[int, list[int]] = {}
    for pid, gid in places:
        left.setdefault(gid, []).append(pid)
    open_at: dict[tuple[int, int], list[tuple[int, str | None]]] = {}
    for gid in sorted(left):
        left[gid].sort(reverse=True)
        k, low, high, ref = groups[gid]
        for m in range(low, high):
            open_at.setdefault((k, m), []).append((gid, ref))
    ay, am, ad = at.year, at.month, at.day
    at_last_day = ad == calendar.monthrange(ay, am)[1]
    ages: dict[dt.date, int] = {}
    out = []
    contenders = [c for c in children if c[8] and (c[9] is None or c[10])]
    contenders.sort()
    for _, _, _, _, aid, born, choices, refs, _, enrolled, _ in contenders:
        if not open_at:
            break
        if enrolled is not None and enrolled in choices:
            choices = choices[: choices.index(enrolled)]
        months = ages.get(born)
        if months is None:
            months = (ay - born.year) * 12 + am - born.month
            if ad < born.day and not at_last_day:
                months -= 1
            ages[born] = months
        for k in choices:
            fitting = open_at.get((k, months))
            if fitting is None:
                continue
            for entry in fitting:
                if entry[1] is None or entry[1] in refs:
                    break
            else:
                continue
            gid = entry[0]
            stack = left[gid]
            out.append((aid, gid, stack.pop()))
            if not stack:
                _, low, high, ref = groups[gid]
                for m in range(low, high):
                    lst = open_at[(k, m)]
                    lst.remove((gid, ref))
                    if not lst:
                        del open_at[(k, m)]
            break
    return out


def best_of(runs: int, fn: Callable[[], T]) -> tuple[float, T]:
    times: list[float] = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def matching_oracle(city: City) -> tuple[float, dict[int, int]]:
    from matching.games import HospitalResident  # type: ignore[import-untyped]

    capacity: dict[int, int] = {}
    for p in city.places:
        capacity[p.group] = capacity.get(p.group, 0) + 1
    by_kindergarten: dict[int, list[GroupSpec]] = {}
    for g in city.groups.values():
        if g.id in capacity:
            by_kindergarten.setdefault(g.kindergarten, []).append(g)
    resident_prefs: dict[int, list[int]] = {}
    for a in city.applicants:
        fitting = [
            g
            for k in a.choices
            for g in by_kindergarten.get(k, ())
            if eligibility(applicant=a, group=g, at=AT) is Reason.ELIGIBLE
        ]
        if fitting:
            fitting.sort(key=lambda g: (a.rank(g.kindergarten), g.id))
            resident_prefs[a.id] = [g.id for g in fitting]
    hospital_prefs: dict[int, list[int]] = {}
    for a in sorted(city.applicants, key=priority):
        for gid in resident_prefs.get(a.id, ()):
            hospital_prefs.setdefault(gid, []).append(a.id)
    capacities = {g: capacity[g] for g in hospital_prefs}
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        game = HospitalResident.create_from_dictionaries(resident_prefs, hospital_prefs, capacities)
        matched = game.solve(optimal="resident")
    elapsed = time.perf_counter() - start
    return elapsed, {r.name: h.name for h, rs in matched.items() for r in rs}


def line(label: str, text: str) -> None:
    print(f"    {label:<30}{text}")


def wave_of(city: City) -> Allocation:
    return wave(places=city.places, groups=city.groups, applicants=city.applicants, at=AT)


def main() -> None:
    print(f"Python {sys.version.split()[0]}; times are the best of 3 unless said otherwise")
    start = time.perf_counter()
    city = make_city(kindergartens=600, applicants=120_000, places=25_000)
    kindergartens = len({g.kindergarten for g in city.groups.values()})
    print(
        f"Kyiv-scale city: {kindergartens} kindergartens, {len(city.groups)} groups, "
        f"{len(city.applicants)} children, {len(city.places)} places "
        f"(built in {time.perf_counter() - start:.1f} s)"
    )

    print("\n(a) September wave, Kyiv scale")
    children, groups, places = as_tuples(city)
    ours_s, result = best_of(3, lambda: wave_of(city))
    bare_s, bare = best_of(3, lambda: bare_serial_dictatorship(children, groups, places, AT))
    same = sorted((o.applicant, o.group, o.place) for o in result.offers) == sorted(bare)
    line("wave():", f"{ours_s * 1000:8.0f} ms")
    line("bare serial dictatorship:", f"{bare_s * 1000:8.0f} ms")
    line("ratio ours / bare:", f"{ours_s / bare_s:8.2f}x  (goal <= 2x)")
    line("same offers:", f"{same}  ({len(result.offers)} offers, {len(result.unfilled)} unfilled)")

    scale = MATCHING_APPLICANTS / 120_000
    small = make_city(
        kindergartens=round(600 * scale),
        applicants=MATCHING_APPLICANTS,
        places=round(25_000 * scale),
        seed=7,
    )
    print(
        f"\n(b) wave vs matching.HospitalResident (resident-optimal): {len(small.applicants)} "
        f"children, {len(small.groups)} groups, {len(small.places)} places"
    )
    ours_small_s, small_result = best_of(3, lambda: wave_of(small))
    theirs_s, theirs = matching_oracle(small)
    identical = {o.applicant: o.group for o in small_result.offers} == theirs
    line("matching (one solve):", f"{theirs_s * 1000:8.0f} ms")
    line("wave():", f"{ours_small_s * 1000:8.1f} ms")
    line("ratio matching / ours:", f"{theirs_s / ours_small_s:8.0f}x")
    line("identical assignments:", f"{identical}  ({len(theirs)} children placed)")

    open_offers = list(result.offers)
    print(
        f'\n(c) allocate() for one "+2", Kyiv scale, the wave\'s {len(open_offers)} offers '
        "still open, 50 runs on random groups"
    )
    rnd = random.Random(11)
    busy = sorted({o.group for o in open_offers})
    times, decisions, upgrades = [], [], []
    for run in range(50):
        group = rnd.choice(busy)
        plus_two = [Place(id=10_000_000 + 2 * run + i, group=group) for i in range(2)]
        gc.collect()
        t0 = time.perf_counter()
        step = allocate(
            places=plus_two,
            groups=city.groups,
            applicants=city.applicants,
            open_offers=open_offers,
            at=AT,
        )
        times.append(time.perf_counter() - t0)
        decisions.append(len(step.decisions))
        upgrades.append(len(step.withdrawn))
    times.sort()
    p95 = times[round(0.95 * len(times)) - 1]
    line(
        "median / p95 / max:",
        f"{statistics.median(times) * 1000:.1f} / {p95 * 1000:.1f} / {times[-1] * 1000:.1f} ms",
    )
    line("decisions per run (median):", f"{statistics.median(decisions):.0f}")
    line("open offers withdrawn (max):", f"{max(upgrades)} in one cascade")

    print("\n(d) wave() peak memory, Kyiv scale")
    gc.collect()
    tracemalloc.start()
    wave_of(city)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    line("tracemalloc peak:", f"{peak / 2**20:.1f} MiB (above its input)")
    print(f"\ntotal {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
