"""A child's queue record, as plain data, made into the `Applicant` the core reads.

The record (`sadok.queue.records`) keeps a child's claims, referrals and places as
lists; the engine wants the tier and the referrals in force on the reference date
and the place the child holds. The database side (`sadok.queue.applicants`) and
the replay of the public log (`sadok.allocation.replay`) both build applicants
here, so that both read a record the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from sadok.allocation.model import Applicant, Tier
from sadok.allocation.queue import tier_on

_NONE: frozenset[str] = frozenset()


def best_held(held: Sequence[int], ranked: Sequence[int]) -> int | None:
    """Where a child already has a place: its group now, or an accepted offer
    (documents on their way). Either way it waits only for kindergartens it
    ranked higher, and only when the family asked to keep waiting."""
    return min(held, key=lambda k: ranked.index(k) if k in ranked else len(ranked), default=None)


def _day(iso: str | None) -> dt.date | None:
    return dt.date.fromisoformat(iso) if iso else None


def applicant_from(
    pk: int,
    born: dt.date,
    registered_at: dt.datetime,
    lottery: int,
    number: str,
    active: bool,
    keep_waiting: bool,
    verified: bool,
    flagged: bool,
    lists: Mapping[str, Any],
    *,
    at: dt.date,
    day: str,
) -> Applicant:
    """The applicant of one record on `at` (`day` is `at` in ISO, compared as text):
    a claim or a referral counts while it is in force (SPEC.md "Privileges")."""
    # Most children have no privilege, referral or place: those lists are empty.
    choices = lists["choices"]
    privileges, referrals, held = lists["privileges"], lists["referrals"], lists["held"]
    tier = Tier.NONE
    if privileges:
        tier = tier_on(((t, _day(until)) for t, until in privileges), at=at)
    return Applicant(
        id=pk,
        born=born,
        registered_at=registered_at,
        lottery=lottery,
        number=number,
        tier=tier,
        choices=tuple(choices),
        referrals=frozenset(kind for kind, until in referrals if until is None or until >= day)
        if referrals
        else _NONE,
        active=active,
        verified=verified,
        flagged=flagged,
        enrolled_in=best_held(held, choices) if held else None,
        keep_waiting=keep_waiting,
    )
