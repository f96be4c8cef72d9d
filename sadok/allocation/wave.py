"""The September intake: every declared place allocated at once.

SPEC.md "Group formation (the offer cycle)", last paragraph: each child, in
queue order, is offered the best-ranked group with a place left. With one
common priority order this serial dictatorship gives the unique stable
matching that is best for every child (the resident-optimal one).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

from sadok.allocation.ages import age_in_months
from sadok.allocation.model import (
    Allocation,
    Applicant,
    Decision,
    GroupSpec,
    OpenOffer,
    Place,
    Reason,
)
from sadok.allocation.queue import in_priority_order, rank_limit, standing


def _open_groups(
    places: Sequence[Place], groups: Mapping[int, GroupSpec]
) -> tuple[dict[int, list[Place]], dict[tuple[int, int], list[GroupSpec]]]:
    """The places left in each group, and the groups with places by (kindergarten, age).

    Each group's places are stacked so that `pop()` gives the lowest id; each
    (kindergarten, age in months) list is in group id order.
    """
    left: dict[int, list[Place]] = {}
    seen: set[int] = set()
    for place in places:
        group = groups.get(place.group)
        if group is None or group.id != place.group:
            raise ValueError(f"place {place.id} is in group {place.group}, not in `groups`")
        if place.id in seen:
            raise ValueError(f"place {place.id} is declared twice")
        seen.add(place.id)
        left.setdefault(place.group, []).append(place)
    for stack in left.values():
        stack.sort(key=lambda p: p.id, reverse=True)
    by_age: dict[tuple[int, int], list[GroupSpec]] = {}
    for group_id in sorted(left):
        group = groups[group_id]
        for months in range(group.ages.from_months, group.ages.to_months):
            by_age.setdefault((group.kindergarten, months), []).append(group)
    return left, by_age


def wave(
    *,
    places: Sequence[Place],
    groups: Mapping[int, GroupSpec],
    applicants: Iterable[Applicant],
    at: dt.date,
) -> Allocation:
    """Allocate all declared places at once by serial dictatorship.

    SPEC.md "Group formation (the offer cycle)", the wave. Children are taken
    in `queue.priority` order; each is offered the best-ranked group (by its
    kindergarten's rank in `choices`, then by group id) in whose queue it is
    on `at` (`queue.eligibility`) and which has a place left; places within a
    group go in id order. The result is the unique resident-optimal stable
    matching for the common priority order.

    The wave takes no open offers: settling those first is the caller's
    business. `decisions` hold one OFFERED per offer, in priority order,
    then one UNFILLED_NO_ELIGIBLE_CHILD per place left over.
    """
    left, by_age = _open_groups(places, groups)
    offers: list[OpenOffer] = []
    decisions: list[Decision] = []
    ages: dict[dt.date, int] = {}  # a city has a few thousand birth dates
    for child in in_priority_order(a for a in applicants if standing(a) is Reason.ELIGIBLE):
        if not by_age:
            break
        choices = child.choices
        limit = rank_limit(child)
        if not limit:
            continue
        months = ages.get(child.born)
        if months is None:
            months = ages[child.born] = age_in_months(born=child.born, at=at)
        for kindergarten in choices if limit == len(choices) else choices[:limit]:
            fitting = by_age.get((kindergarten, months))
            if fitting is None:
                continue
            for group in fitting:
                if group.referral is None or group.referral in child.referrals:
                    break
            else:
                continue
            stack = left[group.id]
            place = stack.pop()
            if not stack:
                _close(group, by_age)
            offers.append(
                OpenOffer(
                    place=place.id, group=group.id, kindergarten=kindergarten, applicant=child.id
                )
            )
            decisions.append(
                Decision(applicant=child.id, place=place.id, group=group.id, reason=Reason.OFFERED)
            )
            break
    unfilled = [place for group_id in sorted(left) for place in reversed(left[group_id])]
    decisions.extend(
        Decision(
            applicant=None, place=p.id, group=p.group, reason=Reason.UNFILLED_NO_ELIGIBLE_CHILD
        )
        for p in unfilled
    )
    return Allocation(
        offers=tuple(offers), withdrawn=(), decisions=tuple(decisions), unfilled=tuple(unfilled)
    )


def _close(group: GroupSpec, by_age: dict[tuple[int, int], list[GroupSpec]]) -> None:
    """Take a group whose last place went out of every (kindergarten, age) list."""
    for months in range(group.ages.from_months, group.ages.to_months):
        key = (group.kindergarten, months)
        fitting = by_age[key]
        fitting.remove(group)
        if not fitting:
            del by_age[key]
