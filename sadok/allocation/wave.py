"""The September intake: every declared place allocated at once.

SPEC.md "Group formation (the offer cycle)", last paragraph: each child, in
queue order, is offered the best-ranked group with a place left. With one
common priority order this serial dictatorship gives the unique stable
matching that is best for every child (the resident-optimal one).

Children holding an open offer keep the upgrade rule in the wave: the place each
holds joins the pool, with its holder first in line at that place's group, and
everyone else by the queue rule. The result is then the child-optimal stable
matching of deferred acceptance (Gale-Shapley, children proposing); what a holder
leaves for a better place goes on to the next child in the same wave.
"""

from __future__ import annotations

import datetime as dt
import heapq
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
from sadok.allocation.queue import (
    PriorityKey,
    eligibility,
    in_priority_order,
    priority,
    rank_limit,
    standing,
)


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
    open_offers: Iterable[OpenOffer] = (),
) -> Allocation:
    """Allocate all declared places at once.

    With `open_offers` (children holding an offer), by deferred acceptance
    (`_with_holders`); without, by serial dictatorship, which then gives the same
    result faster:

    SPEC.md "Group formation (the offer cycle)", the wave. Children are taken
    in `queue.priority` order; each is offered the best-ranked group (by its
    kindergarten's rank in `choices`, then by group id) in whose queue it is
    on `at` (`queue.eligibility`) and which has a place left; places within a
    group go in id order. The result is the unique resident-optimal stable
    matching for the common priority order.

    `decisions` hold one OFFERED per offer, in priority order, then one
    UNFILLED_NO_ELIGIBLE_CHILD per place left over.
    """
    held = list(open_offers)
    if held:
        return _with_holders(
            places=places, groups=groups, applicants=applicants, at=at, open_offers=held
        )
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


def _with_holders(
    *,
    places: Sequence[Place],
    groups: Mapping[int, GroupSpec],
    applicants: Iterable[Applicant],
    at: dt.date,
    open_offers: list[OpenOffer],
) -> Allocation:
    """The wave when some children hold an open offer: deferred acceptance.

    SPEC.md "Group formation": a held offer's place joins the pool, with its holder
    first in line for it. The hospitals are the groups, each with its declared
    places and the places held in it; a group ranks the children who hold a place
    in it first (among them, and then everyone else, by `queue.priority`). A child
    ranks the groups whose queue it is in on `at` (`queue.eligibility`) by its
    kindergarten's rank, then by group id; a holder only those of kindergartens it
    ranked strictly above the one it holds, and then its own group, where it always
    has its place. Children propose, so the result is the child-optimal stable
    matching (with no holders, the serial dictatorship's).

    A holder who stays keeps its offer as it is. A holder who moves gets an
    UPGRADED offer and its old offer is withdrawn (WITHDRAWN_FOR_UPGRADE); the
    places its group has for newcomers (declared, or left by a holder) go to them
    in priority order, lowest place id first. A held place nobody takes is left
    unfilled like a declared one.
    """
    by_id: dict[int, Applicant] = {}
    for a in applicants:
        by_id[a.id] = a
    holds: dict[int, OpenOffer] = {}
    for offer in open_offers:
        if offer.applicant in holds:
            raise ValueError(f"child {offer.applicant} holds two open offers")
        if offer.group not in groups:
            raise ValueError(f"held place {offer.place} is in group {offer.group}, not in `groups`")
        holds[offer.applicant] = offer
    declared: dict[int, list[int]] = {}
    seen: set[int] = {o.place for o in open_offers}
    for place in places:
        if place.group not in groups:
            raise ValueError(f"place {place.id} is in group {place.group}, not in `groups`")
        if place.id in seen:
            raise ValueError(f"place {place.id} is declared twice")
        seen.add(place.id)
        declared.setdefault(place.group, []).append(place.id)
    capacity: dict[int, int] = {g: len(ids) for g, ids in declared.items()}
    for offer in open_offers:
        capacity[offer.group] = capacity.get(offer.group, 0) + 1
    pool = [groups[g] for g in sorted(capacity)]

    def preferences(child: Applicant) -> list[int]:
        held = holds.get(child.id)
        wanted: list[int] = []
        if standing(child) is Reason.ELIGIBLE:
            limit = rank_limit(child)
            if held is not None:
                limit = min(limit, child.rank(held.kindergarten))
            for kindergarten in child.choices[:limit]:
                wanted += [
                    g.id
                    for g in pool
                    if g.kindergarten == kindergarten
                    and eligibility(applicant=child, group=g, at=at) is Reason.ELIGIBLE
                ]
        if held is not None:
            wanted.append(held.group)
        return wanted

    # A group ranks its holders first, then everyone by the queue rule.
    def rank_at(group: int, child: Applicant) -> tuple[int, PriorityKey]:
        held = holds.get(child.id)
        return (0 if held is not None and held.group == group else 1, priority(child))

    prefs = {pk: preferences(by_id[pk]) for pk in sorted(by_id)}
    for holder in holds:
        if holder not in prefs:
            raise ValueError(f"child {holder} holds an offer but is not among `applicants`")
    following = dict.fromkeys(prefs, 0)
    # Each group's tentative children, worst first (a max-heap by its ranking).
    tentative: dict[int, list[_Worst]] = {g.id: [] for g in pool}
    free = [pk for pk in sorted(prefs, key=lambda pk: priority(by_id[pk])) if prefs[pk]]
    free.reverse()  # popped from the end: the best child proposes first
    while free:
        pk = free.pop()
        wanted = prefs[pk]
        while following[pk] < len(wanted):
            group = wanted[following[pk]]
            following[pk] += 1
            entry = _Worst(rank_at(group, by_id[pk]), pk)
            heap = tentative[group]
            if len(heap) < capacity[group]:
                heapq.heappush(heap, entry)
                break
            if entry.key < heap[0].key:  # better than the worst held there
                free.append(heapq.heapreplace(heap, entry).pk)
                break
    assigned = {entry.pk: g for g, heap in tentative.items() for entry in heap}
    return _allocation(
        assigned=assigned, holds=holds, declared=declared, by_id=by_id, groups=groups
    )


class _Worst:
    """A child tentatively at a group, with the group's ranking of it (`key`), in
    reverse order: `heapq`'s min-heap keeps the worst child on top."""

    __slots__ = ("key", "pk")

    def __init__(self, key: tuple[int, PriorityKey], pk: int) -> None:
        self.key, self.pk = key, pk

    def __lt__(self, other: _Worst) -> bool:
        return self.key > other.key


def _allocation(
    *,
    assigned: dict[int, int],
    holds: dict[int, OpenOffer],
    declared: dict[int, list[int]],
    by_id: Mapping[int, Applicant],
    groups: Mapping[int, GroupSpec],
) -> Allocation:
    """The offers, withdrawals and decisions of a matching `assigned` (child -> group)."""
    stays = {pk for pk, g in assigned.items() if pk in holds and holds[pk].group == g}
    # Places each group has for newcomers: its declared ones and those its holders left.
    free: dict[int, list[int]] = {g: list(ids) for g, ids in declared.items()}
    for pk, offer in holds.items():
        if pk not in stays:
            free.setdefault(offer.group, []).append(offer.place)
    for ids in free.values():
        ids.sort(reverse=True)  # pop() gives the lowest id
    offers: list[OpenOffer] = []
    withdrawn: list[OpenOffer] = []
    decisions: list[Decision] = []
    for pk in sorted(
        (pk for pk in assigned if pk not in stays), key=lambda pk: priority(by_id[pk])
    ):
        group = groups[assigned[pk]]
        place = free[group.id].pop()
        offers.append(
            OpenOffer(place=place, group=group.id, kindergarten=group.kindergarten, applicant=pk)
        )
        old = holds.get(pk)
        if old is None:
            decisions.append(
                Decision(applicant=pk, place=place, group=group.id, reason=Reason.OFFERED)
            )
            continue
        withdrawn.append(old)
        decisions += [
            Decision(
                applicant=pk,
                place=place,
                group=group.id,
                reason=Reason.UPGRADED,
                withdrawn_place=old.place,
            ),
            Decision(
                applicant=pk,
                place=old.place,
                group=old.group,
                reason=Reason.WITHDRAWN_FOR_UPGRADE,
            ),
        ]
    unfilled = [Place(id=p, group=g) for g in sorted(free) for p in reversed(free[g])]
    decisions += [
        Decision(
            applicant=None, place=p.id, group=p.group, reason=Reason.UNFILLED_NO_ELIGIBLE_CHILD
        )
        for p in unfilled
    ]
    return Allocation(
        offers=tuple(offers),
        withdrawn=tuple(withdrawn),
        decisions=tuple(decisions),
        unfilled=tuple(unfilled),
    )
