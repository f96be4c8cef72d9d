"""The public queue of a group: who is in it, and in which order.

SPEC.md "The queue": a child is in the queue of a group when it applied to
that kindergarten, its record is verified and active (and not flagged as a
duplicate), and its age at the moment falls in the group's age range. The order
is the privilege tier (SPEC.md "Privileges"), then the registration date, then
a stable tie-breaker.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from operator import attrgetter

from sadok.allocation.ages import age_in_months
from sadok.allocation.model import Applicant, GroupSpec, Reason, Tier

PriorityKey = tuple[Tier, dt.datetime, int, str]

# The queue rule, as data: everything else (`priority`, `standing`, and the SQL the
# database orders and filters queues with, `sadok.queue.rule`) is built from these
# two definitions, so that the rule is written once.
#
# ORDER: the fields of an `Applicant` a queue is ordered by, most significant
# first; lower is better. SPEC.md "Privileges" and "The queue": the privilege tier
# (out of turn, first priority, guaranteed placement, then everyone else), inside
# a tier the registration time, then the public lottery number drawn at
# registration, then the public application number (unique, compared character by
# character), so that no two children ever tie and anyone holding the published
# queue can check its order: nothing internal, such as a record id, decides.
ORDER: tuple[str, ...] = ("tier", "registered_at", "lottery", "number")
# STANDING: what a record itself must be to queue anywhere, checked in this order,
# with the reason it is out when it is not (SPEC.md "The queue": deactivated,
# unconfirmed or duplicate-flagged records do not count).
STANDING: tuple[tuple[str, bool, Reason], ...] = (
    ("active", True, Reason.NOT_ELIGIBLE_INACTIVE),
    ("verified", True, Reason.NOT_ELIGIBLE_UNVERIFIED),
    ("flagged", False, Reason.NOT_ELIGIBLE_FLAGGED),
)

# `priority` computed in C; and the same key in two parts (see `in_priority_order`).
priority_key = attrgetter(*ORDER)
_after_tier = attrgetter(*ORDER[1:])
_tier = attrgetter(ORDER[0])


def priority(a: Applicant) -> PriorityKey:
    """A child's place in every queue it is in (`ORDER`); lower is better."""
    key: PriorityKey = priority_key(a)
    return key


def tier_on(claims: Iterable[tuple[int, dt.date | None]], *, at: dt.date) -> Tier:
    """The tier of a child on `at` from its confirmed claims, each (tier, last day in
    force or None for no end): the best tier of a claim still in force, else NONE
    (SPEC.md "Privileges": a lapsed document gives no privilege)."""
    return min((Tier(t) for t, until in claims if until is None or until >= at), default=Tier.NONE)


def in_priority_order(applicants: Iterable[Applicant]) -> list[Applicant]:
    """The applicants sorted by `priority`, best first.

    Two stable sorts (registration, lottery and number; then the tier) give the
    same order as one sort on `priority`, in a little more than half the time
    on a city: comparing the tier enums inside key tuples is what costs.
    """
    ordered = sorted(applicants, key=_after_tier)
    ordered.sort(key=_tier)
    return ordered


def standing(a: Applicant) -> Reason:
    """ELIGIBLE when the record itself may queue anywhere, else why not.

    SPEC.md "The queue": deactivated, unconfirmed or duplicate-flagged records
    do not count, whatever the group.
    """
    for field, required, reason in STANDING:
        if getattr(a, field) is not required:
            return reason
    return Reason.ELIGIBLE


def rank_limit(a: Applicant) -> int:
    """How many of the child's first choices it still queues for.

    SPEC.md "Group formation", step 7: an enrolled child leaves every queue,
    unless the family keeps it waiting, and then only for the kindergartens it
    ranked strictly above its own (a kindergarten not in `choices` ranks last).
    """
    return queued_choices(choices=a.choices, enrolled_in=a.enrolled_in, keep_waiting=a.keep_waiting)


def queued_choices(*, choices: Sequence[int], enrolled_in: int | None, keep_waiting: bool) -> int:
    """`rank_limit` of a child with these `choices`, place and wish to keep waiting."""
    if enrolled_in is None:
        return len(choices)
    if not keep_waiting:
        return 0
    return choices.index(enrolled_in) if enrolled_in in choices else len(choices)


def eligibility(*, applicant: Applicant, group: GroupSpec, at: dt.date) -> Reason:
    """ELIGIBLE if the child is in `group`'s queue on `at`, else the first reason why not.

    SPEC.md "The queue", checked in this order: inactive, unverified, flagged
    as a duplicate, did not apply to the group's kindergarten, enrolled (see
    `rank_limit`), age in whole months at `at` outside the group's range
    (`AgeRange` is half-open), and a special group's referral kind missing.
    """
    reason = standing(applicant)
    if reason is not Reason.ELIGIBLE:
        return reason
    if group.kindergarten not in applicant.choices:
        return Reason.NOT_ELIGIBLE_NOT_APPLIED
    if applicant.rank(group.kindergarten) >= rank_limit(applicant):
        return Reason.NOT_ELIGIBLE_ENROLLED
    return group_fit(
        applicant=applicant, group=group, months=age_in_months(born=applicant.born, at=at)
    )


def group_fit(*, applicant: Applicant, group: GroupSpec, months: int) -> Reason:
    """The last checks of `eligibility`, those of the group itself, for a child
    `months` old: the group's ages, then its referral kind."""
    if not group.ages.holds(months):
        return Reason.NOT_ELIGIBLE_AGE
    if group.referral is not None and group.referral not in applicant.referrals:
        return Reason.NOT_ELIGIBLE_NO_REFERRAL
    return Reason.ELIGIBLE


def group_queue(
    *, applicants: Iterable[Applicant], group: GroupSpec, at: dt.date
) -> list[Applicant]:
    """The queue of `group` on `at`: the eligible children, best `priority` first.

    SPEC.md "The queue". This is the list parents see on the group's page and
    the order in which the offer cycle walks (SPEC.md "Group formation").
    """
    kindergarten = group.kindergarten
    return in_priority_order(
        a
        for a in applicants
        if kindergarten in a.choices
        and eligibility(applicant=a, group=group, at=at) is Reason.ELIGIBLE
    )


@dataclass(frozen=True, slots=True)
class Position:
    """Where a child stands in one group's queue, as its family sees it.

    `place` is 1-based; `ahead_by_tier` counts the children ahead of it in
    each tier (every tier present, zero included); `size` is the queue length.
    """

    place: int
    ahead_by_tier: dict[Tier, int]
    size: int


def position(
    *, applicants: Iterable[Applicant], group: GroupSpec, at: dt.date, applicant_id: int
) -> Position | None:
    """The child's position in `group`'s queue on `at`; None when it is not in it.

    SPEC.md "The queue" and "Transparency": the same rule as `group_queue`,
    counted without sorting the whole queue.
    """
    kindergarten = group.kindergarten
    candidates = [a for a in applicants if kindergarten in a.choices]
    me = next((a for a in candidates if a.id == applicant_id), None)
    if me is None or eligibility(applicant=me, group=group, at=at) is not Reason.ELIGIBLE:
        return None
    mine = priority_key(me)
    ahead = dict.fromkeys(Tier, 0)
    size = 0
    for a in candidates:
        if eligibility(applicant=a, group=group, at=at) is not Reason.ELIGIBLE:
            continue
        size += 1
        if priority_key(a) < mine:
            ahead[a.tier] += 1
    return Position(place=sum(ahead.values()) + 1, ahead_by_tier=ahead, size=size)
