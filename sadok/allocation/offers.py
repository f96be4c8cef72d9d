"""Free places become offers at once, with the upgrade rule.

SPEC.md "Group formation (the offer cycle)": when a head declares "+N" free
places, the system forms the offers for the first children in the group's
queue, one per place; no person chooses. A place is never offered to two
children and a child holds at most one open offer; a child holding an offer
for a kindergarten it ranked lower is not skipped: it gets the new offer, and
the old one is withdrawn and offered on.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict, deque
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
from sadok.allocation.queue import group_fit, in_priority_order, rank_limit, standing

# Scanning the whole city for one kindergarten's applicants costs about a fifth
# of indexing every choice of every child: index once a cascade needs more.
_SCANS_BEFORE_INDEX = 3


class Candidates:
    """The applicants who chose each kindergarten, found lazily and once."""

    def __init__(self, pool: Sequence[Applicant]) -> None:
        self._pool = pool
        self._by_kindergarten: dict[int, list[Applicant]] = {}
        self._scans = 0
        self._index: defaultdict[int, list[Applicant]] | None = None

    def of(self, kindergarten: int) -> list[Applicant]:
        found = self._by_kindergarten.get(kindergarten)
        if found is not None:
            return found
        if self._index is None and self._scans < _SCANS_BEFORE_INDEX:
            self._scans += 1
            found = [a for a in self._pool if kindergarten in a.choices]
        else:
            if self._index is None:
                self._index = defaultdict(list)
                for a in self._pool:
                    for k in a.choices:
                        self._index[k].append(a)
            # A child that lists a kindergarten twice is in its list twice: once is enough.
            found = list({id(a): a for a in self._index.get(kindergarten, ())}.values())
        self._by_kindergarten[kindergarten] = found
        return found


def queued_for(applicants: Iterable[Applicant], group: GroupSpec) -> list[Applicant]:
    """Those of `applicants` who may queue at `group`'s kindergarten, whatever the
    group: standing, and the kindergarten ranked within the child's `rank_limit`
    (`queue.eligibility` checks the rest: the group's ages and referral)."""
    kindergarten = group.kindergarten
    return [
        a
        for a in applicants
        if standing(a) is Reason.ELIGIBLE
        and kindergarten in a.choices
        and a.rank(kindergarten) < rank_limit(a)
    ]


def _held(places: Sequence[Place], open_offers: Iterable[OpenOffer]) -> dict[int, OpenOffer]:
    """The open offers by applicant, after refusing any input that breaks an invariant."""
    offers = list(open_offers)
    held = {o.applicant: o for o in offers}
    offered = {o.place for o in offers}
    if len(held) != len(offers):
        raise ValueError("a child holds two open offers")
    if len(offered) != len(offers):
        raise ValueError("a place is offered to two children")
    free = {p.id for p in places}
    if len(free) != len(places):
        raise ValueError("a place is declared free twice")
    if not free.isdisjoint(offered):
        raise ValueError(f"places {sorted(free & offered)} are declared free but have open offers")
    return held


def allocate(
    *,
    places: Sequence[Place],
    groups: Mapping[int, GroupSpec],
    applicants: Iterable[Applicant],
    open_offers: Iterable[OpenOffer],
    at: dt.date,
) -> Allocation:
    """Offer each free place to the first child in its group's queue, with the upgrade rule.

    SPEC.md "Group formation (the offer cycle)", steps 1-2 and the upgrade
    rule. Places are taken first in, first out: `places` in the given order,
    then every place freed by an upgrade. For a place in group g the queue of
    g (`queue.group_queue` on `at`) is walked in priority order:

    - a child holding no offer gets it (OFFERED);
    - a child holding an offer for a kindergarten it ranked lower than g's
      gets it too (UPGRADED); its old offer is withdrawn
      (WITHDRAWN_FOR_UPGRADE) and that place joins the end of the line;
    - a child holding an offer it ranked as high or higher, including one it
      got earlier in this run, is passed over (PASSED_OVER_HOLDS_BETTER_OFFER),
      except at the place it has just given up for a better one: it left that
      place, nobody passed it over (its WITHDRAWN_FOR_UPGRADE says so).

    A place whose queue runs out stays unfilled (UNFILLED_NO_ELIGIBLE_CHILD).
    Offers only ever get better for a child, so a child passed over in g
    stays passed over for the rest of the run: each queue is walked once, from
    where the previous place of g stopped. `groups` must hold the group of
    every place, including the places of the open offers. The result depends
    only on the input's content, not on the order of `applicants` or
    `open_offers`. Children are told apart by id: each holds at most one offer.
    """
    pool = applicants if isinstance(applicants, list | tuple) else list(applicants)
    held = _held(places, open_offers)
    candidates = Candidates(pool)
    # Each kindergarten's applicants in priority order, sorted once; a group's queue
    # is the eligible ones among them (`group_queue`), found as the walk reaches
    # them: a walk mostly stops at one of the first, and a kindergarten's groups
    # share the sort (a sweep's run for thousands of places checked every child of
    # every queue: 2.2 million eligibility checks, most of its time).
    ordered: dict[int, list[Applicant]] = {}
    walked: dict[int, int] = {}  # by group: how far into its kindergarten's order
    ages: dict[dt.date, int] = {}  # age in months on `at`, by birth date
    made: dict[int, OpenOffer] = {}  # this run's offers still standing, by place
    withdrawn: list[OpenOffer] = []
    decisions: list[Decision] = []
    unfilled: list[Place] = []
    # A place a child gave up for a better one, by place: the child is not "passed
    # over" for it when the place goes on down its queue (it left it).
    left_by: dict[int, int] = {}
    line = deque(places)
    while line:
        place = line.popleft()
        group = groups.get(place.group)
        if group is None or group.id != place.group:
            raise ValueError(f"place {place.id} is in group {place.group}, not in `groups`")
        queue = ordered.get(group.kindergarten)
        if queue is None:
            queue = in_priority_order(queued_for(candidates.of(group.kindergarten), group))
            ordered[group.kindergarten] = queue
        i = walked.get(group.id, 0)
        taker: Applicant | None = None
        while i < len(queue):
            child = queue[i]
            i += 1
            months = ages.get(child.born)
            if months is None:
                months = ages[child.born] = age_in_months(born=child.born, at=at)
            if group_fit(applicant=child, group=group, months=months) is not Reason.ELIGIBLE:
                continue  # not in this group's queue (the rest `queued_for` checked)
            current = held.get(child.id)
            if current is None or child.rank(current.kindergarten) > child.rank(group.kindergarten):
                taker = child
                break
            if left_by.get(place.id) == child.id:
                continue
            decisions.append(
                Decision(
                    applicant=child.id,
                    place=place.id,
                    group=group.id,
                    reason=Reason.PASSED_OVER_HOLDS_BETTER_OFFER,
                )
            )
        walked[group.id] = i
        if taker is None:
            unfilled.append(place)
            decisions.append(
                Decision(
                    applicant=None,
                    place=place.id,
                    group=group.id,
                    reason=Reason.UNFILLED_NO_ELIGIBLE_CHILD,
                )
            )
            continue
        offer = OpenOffer(
            place=place.id, group=group.id, kindergarten=group.kindergarten, applicant=taker.id
        )
        old = held.get(taker.id)
        held[taker.id] = offer
        made[place.id] = offer
        if old is None:
            decisions.append(
                Decision(applicant=taker.id, place=place.id, group=group.id, reason=Reason.OFFERED)
            )
            continue
        if made.pop(old.place, None) is None:
            withdrawn.append(old)
        line.append(Place(id=old.place, group=old.group))
        left_by[old.place] = taker.id
        decisions.append(
            Decision(
                applicant=taker.id,
                place=place.id,
                group=group.id,
                reason=Reason.UPGRADED,
                withdrawn_place=old.place,
            )
        )
        decisions.append(
            Decision(
                applicant=taker.id,
                place=old.place,
                group=old.group,
                reason=Reason.WITHDRAWN_FOR_UPGRADE,
            )
        )
    return Allocation(
        offers=tuple(made.values()),
        withdrawn=tuple(withdrawn),
        decisions=tuple(decisions),
        unfilled=tuple(unfilled),
    )
