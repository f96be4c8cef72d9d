"""Hypothesis strategies for small random cities.

Small on purpose: few kindergartens, groups and children, and few distinct
registration times and lottery numbers, so that ties, full groups, age
boundaries, referrals, enrolled children and upgrade cascades come up often.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from hypothesis import strategies as st

from sadok.allocation.ages import AgeRange
from sadok.allocation.model import Applicant, GroupSpec, OpenOffer, Place, Tier

AT = dt.date(2026, 9, 1)
KINDERGARTENS = (1, 2, 3, 4)
REFERRALS = ("pmpk", "lkk")
AGE_RANGES = (
    AgeRange(12, 24),
    AgeRange(24, 36),
    AgeRange(36, 48),
    AgeRange(24, 48),
    AgeRange(12, 48),
    AgeRange(0, 84),
)
REGISTERED = tuple(dt.datetime(2024, 1, d, 9, 0, tzinfo=dt.UTC) for d in (1, 2, 3))
# Births on and next to the second, third and fourth birthdays at AT.
BIRTHDAY_EDGES = tuple(
    dt.date(AT.year - years, AT.month, AT.day) + dt.timedelta(days=shift)
    for years in (2, 3, 4)
    for shift in (-1, 0, 1)
)
BORN = st.one_of(
    st.sampled_from(BIRTHDAY_EDGES), st.dates(dt.date(2022, 9, 2), dt.date(2025, 9, 1))
)
# Mostly True: a record fails one check now and then, not half the time.
USUALLY = st.integers(0, 7).map(bool)
# Application numbers from a few characters of the real alphabet, of varied lengths.
NUMBERS = st.text(alphabet="29AZ", min_size=1, max_size=4)


@dataclass(frozen=True)
class City:
    groups: dict[int, GroupSpec]
    applicants: list[Applicant]
    places: list[Place]
    open_offers: list[OpenOffer]


groups_st = st.lists(
    st.builds(
        lambda kindergarten, ages, referral: (kindergarten, ages, referral),
        st.sampled_from(KINDERGARTENS),
        st.sampled_from(AGE_RANGES),
        st.sampled_from((None, None, None, *REFERRALS)),
    ),
    min_size=1,
    max_size=6,
).map(
    lambda rows: {
        i: GroupSpec(id=i, kindergarten=k, ages=ages, referral=ref)
        for i, (k, ages, ref) in enumerate(rows, start=1)
    }
)


@st.composite
def applicant_st(draw: st.DrawFn, applicant_id: int, number: str) -> Applicant:
    # One child in four attends a kindergarten already, maybe one it did not choose (9).
    enrolled_in = draw(st.sampled_from((None,) * 15 + (*KINDERGARTENS, 9)))
    return Applicant(
        id=applicant_id,
        born=draw(BORN),
        registered_at=draw(st.sampled_from(REGISTERED)),
        lottery=draw(st.integers(0, 3)),
        number=number,
        tier=draw(st.sampled_from(list(Tier))),
        choices=tuple(
            draw(st.lists(st.sampled_from(KINDERGARTENS), unique=True, min_size=1, max_size=4))
        ),
        referrals=draw(st.frozensets(st.sampled_from(REFERRALS))),
        active=draw(USUALLY),
        verified=draw(USUALLY),
        flagged=not draw(USUALLY),
        enrolled_in=enrolled_in,
        keep_waiting=draw(st.booleans()),
    )


@st.composite
def applicants_st(draw: st.DrawFn, max_size: int = 14) -> list[Applicant]:
    size = draw(st.integers(0, max_size))
    ids = draw(st.lists(st.integers(1, 10_000), min_size=size, max_size=size, unique=True))
    # Application numbers unrelated to the ids, so that the public tie-breaker, not
    # the internal id, decides between children tied on everything else.
    numbers = draw(st.lists(NUMBERS, min_size=size, max_size=size, unique=True))
    return [draw(applicant_st(i, n)) for i, n in zip(ids, numbers, strict=True)]


@st.composite
def places_st(draw: st.DrawFn, groups: dict[int, GroupSpec], max_size: int = 8) -> list[Place]:
    group_ids = draw(st.lists(st.sampled_from(sorted(groups)), max_size=max_size))
    ids = draw(
        st.lists(st.integers(1, 999), min_size=len(group_ids), max_size=len(group_ids), unique=True)
    )
    return [Place(id=p, group=g) for p, g in zip(ids, group_ids, strict=True)]


@st.composite
def open_offers_st(
    draw: st.DrawFn, groups: dict[int, GroupSpec], applicants: list[Applicant]
) -> list[OpenOffer]:
    """Offers already out, on places numbered from 1000 (never among the free ones)."""
    if not applicants:
        return []
    holders = draw(st.lists(st.sampled_from([a.id for a in applicants]), unique=True))
    offers = []
    for n, holder in enumerate(holders):
        group = groups[draw(st.sampled_from(sorted(groups)))]
        offers.append(
            OpenOffer(
                place=1000 + n, group=group.id, kindergarten=group.kindergarten, applicant=holder
            )
        )
    return offers


@st.composite
def cities(draw: st.DrawFn, with_open_offers: bool = True, max_applicants: int = 14) -> City:
    groups = draw(groups_st)
    applicants = draw(applicants_st(max_size=max_applicants))
    places = draw(places_st(groups))
    open_offers = draw(open_offers_st(groups, applicants)) if with_open_offers else []
    return City(groups=groups, applicants=applicants, places=places, open_offers=open_offers)


def child(
    applicant_id: int,
    *,
    choices: tuple[int, ...] = (1,),
    registered: dt.datetime = REGISTERED[0],
    tier: Tier = Tier.NONE,
    born: dt.date = dt.date(2023, 6, 15),
    lottery: int = 0,
    referrals: frozenset[str] = frozenset(),
    number: str | None = None,
    **fields: object,
) -> Applicant:
    """A verified, active child aged three at AT, for worked examples."""
    return Applicant(
        id=applicant_id,
        born=born,
        registered_at=registered,
        lottery=lottery,
        number=f"N{applicant_id:05d}" if number is None else number,
        tier=tier,
        choices=choices,
        referrals=referrals,
        **fields,  # type: ignore[arg-type]
    )
