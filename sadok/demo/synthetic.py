"""The synthetic Kyiv of the benchmarks and of `manage.py generate_city`, as the
engine sees it: plain data (`sadok.allocation`), no database, so that the pure
engine's benchmark builds it without Django and `sadok.demo.city` writes the very
same city to the database.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from sadok.allocation import AgeRange, Applicant, GroupSpec, Place, Tier

# The September wave's day the benchmarks use: ages count on it.
AT = dt.date(2026, 9, 1)
DISTRICTS = 10
# Nursery, junior, middle, senior and pre-school groups (months, half-open).
AGE_BANDS = ((12, 24), (24, 36), (36, 48), (48, 60), (60, 72))


@dataclass
class City:
    groups: dict[int, GroupSpec]
    applicants: list[Applicant]
    places: list[Place]


def synthetic_city(
    *, kindergartens: int, applicants: int, places: int, seed: int = 2026, at: dt.date = AT
) -> City:
    """A city of `kindergartens` (five groups each, one per band, 10 % needing a
    referral) and `applicants` children born over the six years before `at`, each
    registered within 200 days of its birth, choosing up to four kindergartens of its
    own district and one anywhere; ~10 % privileged (2 % out of turn, 4 % first
    priority, 4 % guaranteed), 5 % with a referral, 3 % suspended, 3 % unverified,
    1 % flagged, 5 % already enrolled (half of them waiting for a higher choice);
    `places` free places in random groups. The same seed gives the same city."""
    rnd = random.Random(seed)  # noqa: S311 - a synthetic city, reproducible by seed
    groups: dict[int, GroupSpec] = {}
    for k in range(1, kindergartens + 1):
        for low, high in AGE_BANDS:
            referral = rnd.choice(("pmpk", "lkk")) if rnd.random() < 0.1 else None
            gid = len(groups) + 1
            groups[gid] = GroupSpec(
                id=gid, kindergarten=k, ages=AgeRange(low, high), referral=referral
            )
    by_district: list[list[int]] = [[] for _ in range(DISTRICTS)]
    for k in range(1, kindergartens + 1):
        by_district[k % DISTRICTS].append(k)
    tiers = [Tier.OUT_OF_TURN] * 2 + [Tier.FIRST_PRIORITY] * 4 + [Tier.GUARANTEED] * 4
    tiers += [Tier.NONE] * 90
    first_born = at - dt.timedelta(days=6 * 365)
    children = []
    for i in range(1, applicants + 1):
        born = first_born + dt.timedelta(days=rnd.randrange(6 * 365))
        home = by_district[rnd.randrange(DISTRICTS)]
        wanted = rnd.sample(home, min(len(home), 4))
        wanted.insert(rnd.randrange(len(wanted) + 1), rnd.randrange(1, kindergartens + 1))
        choices = tuple(dict.fromkeys(wanted))
        registered = dt.datetime.combine(born, dt.time(9), tzinfo=dt.UTC) + dt.timedelta(
            minutes=rnd.randrange(0, 200 * 24 * 60)
        )
        enrolled = rnd.choice(choices) if rnd.random() < 0.05 else None
        children.append(
            Applicant(
                id=i,
                born=born,
                registered_at=registered,
                lottery=rnd.getrandbits(31),
                number=f"B{i:07d}",
                tier=rnd.choice(tiers),
                choices=choices,
                referrals=frozenset(
                    r for r, p in (("pmpk", 0.03), ("lkk", 0.02)) if rnd.random() < p
                ),
                active=rnd.random() < 0.97,
                verified=rnd.random() < 0.97,
                flagged=rnd.random() < 0.01,
                enrolled_in=enrolled,
                keep_waiting=enrolled is not None and rnd.random() < 0.5,
            )
        )
    group_ids = list(groups)
    free = [Place(id=p, group=rnd.choice(group_ids)) for p in range(1, places + 1)]
    return City(groups=groups, applicants=children, places=free)
