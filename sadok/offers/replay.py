"""Replaying the journal through the pure core: do the events explain the offers?

The domain events (`docs/events.md`) are read in order into the state the queue
rule needs: each child's record (choices, claims and referrals with their last
days, places held, standing, registration time, lottery number), each group's
band and referral, each place, each open offer. At every `allocation` event the
core runs again on what the event says the engine read (the free places it started
from, the reference date, each child's age in whole months) and its offers must be
exactly the `offer_*` events of that run. No birth date is needed: a child's age is
given, and a birth date with that age is made up for the core.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sadok.allocation import (
    AgeRange,
    Applicant,
    GroupSpec,
    OpenOffer,
    Place,
    Reason,
    allocate,
    wave,
)
from sadok.allocation.ages import born_with_age
from sadok.allocation.queue import standing
from sadok.journal.models import Event, EventKind
from sadok.queue.applicants import applicants_at


@dataclass
class _Child:
    registered_at: dt.datetime
    lottery: int
    number: str
    active: bool
    keep_waiting: bool
    verified: bool
    flagged: bool
    choices: list[int]
    privileges: set[tuple[int, str | None]] = field(default_factory=set)
    referrals: set[tuple[str, str | None]] = field(default_factory=set)
    held: list[int] = field(default_factory=list)


def _child(data: dict[str, Any], number: str) -> _Child:
    """A child from its record's snapshot (`queue.changes.SNAPSHOT`); a journal
    written before the snapshot carried the application number has it on the
    event."""
    lists = data["lists"]
    return _Child(
        registered_at=dt.datetime.fromisoformat(data["registered_at"]),
        lottery=data["lottery"],
        number=data.get("number", number),
        active=data["active"],
        keep_waiting=data["keep_waiting"],
        verified=data["verified"],
        flagged=data["flagged"],
        choices=list(lists["choices"]),
        privileges={(t, u) for t, u in lists["privileges"]},
        referrals={(k, u) for k, u in lists["referrals"]},
        held=list(lists["held"]),
    )


def _applicants(read: dict[int, int], children: dict[int, _Child], at: dt.date) -> list[Applicant]:
    """The children the run read, as the engine saw them (`queue.applicants_at`, the
    same reader), each with a birth date of the recorded age."""
    rows = [
        (
            pk,
            born_with_age(months, at),
            children[pk].registered_at,
            children[pk].lottery,
            children[pk].number,
            children[pk].active,
            children[pk].keep_waiting,
            children[pk].verified,
            children[pk].flagged,
            {
                "choices": children[pk].choices,
                "privileges": sorted(children[pk].privileges, key=str),
                "referrals": sorted(children[pk].referrals, key=str),
                "held": children[pk].held,
            },
        )
        for pk, months in sorted(read.items())
        if pk in children
    ]
    return applicants_at(rows, at=at)


_FLIPS = {
    EventKind.CONTACTS_VERIFIED: ("verified", True),
    EventKind.CONTACTS_UNVERIFIED: ("verified", False),
    EventKind.FLAG_RAISED: ("flagged", True),
    EventKind.FLAG_RESOLVED: ("flagged", False),
    EventKind.REACTIVATED: ("active", True),
    EventKind.DEACTIVATED: ("active", False),
    EventKind.KEEP_WAITING_ON: ("keep_waiting", True),
    EventKind.KEEP_WAITING_OFF: ("keep_waiting", False),
}
_OFFER_ENDS = {
    EventKind.OFFER_WITHDRAWN,
    EventKind.OFFER_ACCEPTED,
    EventKind.OFFER_DECLINED,
    EventKind.OFFER_EXPIRED,
}


@dataclass
class Replay:
    children: dict[int, _Child] = field(default_factory=dict)
    groups: dict[int, GroupSpec] = field(default_factory=dict)
    open_offers: dict[int, OpenOffer] = field(default_factory=dict)
    mismatches: list[str] = field(default_factory=list)
    runs: int = 0

    def group(self, pk: int, kindergarten: int, data: dict[str, Any]) -> None:
        self.groups[pk] = GroupSpec(
            id=pk,
            kindergarten=kindergarten,
            ages=AgeRange(data["age_from_months"], data["age_to_months"]),
            referral=data.get("referral"),
        )

    def apply(self, event: Event, following: list[Event]) -> None:
        kind, data, pk = event.kind, event.data, event.child_id
        if kind == EventKind.GENESIS:
            if event.reason == "child" and pk is not None:
                self.children[pk] = _child(data, event.application_number)
            elif event.reason == "group" and event.group_id and event.kindergarten_id:
                self.group(event.group_id, event.kindergarten_id, data)
            elif (
                event.reason == "place" and pk is not None and data.get("offer_status") == "offered"
            ):
                self._offer(event)
        elif kind == EventKind.REGISTERED and pk is not None:
            self.children[pk] = _child(data, event.application_number)
        elif kind == EventKind.LEFT_QUEUE and pk is not None:
            self.children.pop(pk, None)
        elif kind in _FLIPS and pk in self.children:
            name, value = _FLIPS[EventKind(kind)]
            setattr(self.children[pk], name, value)
        elif kind in (EventKind.CHOICE_ADDED, EventKind.CHOICE_REMOVED, EventKind.CHOICE_MOVED):
            if pk in self.children:
                self.children[pk].choices = list(data["choices"])
        elif kind == EventKind.DATE_RESTORED and pk in self.children:
            self.children[pk].registered_at = dt.datetime.fromisoformat(data["registered_at"])
        elif kind == EventKind.RECORDS_MERGED and pk is not None and data.get("offers"):
            # The closed record's open offer went to the record kept.
            held = self.open_offers.pop(pk, None)
            if held is not None:
                into = int(data["into"])
                self.open_offers[into] = OpenOffer(
                    place=held.place,
                    group=held.group,
                    kindergarten=held.kindergarten,
                    applicant=into,
                )
        elif kind == EventKind.HELD_CHANGED and pk in self.children:
            self.children[pk].held = list(data["held"])
        elif (
            kind in (EventKind.PRIVILEGE_CONFIRMED, EventKind.PRIVILEGE_ENDED)
            and pk in self.children
        ):
            claims = self.children[pk].privileges
            pair = (data["what"], data["until"])
            claims.add(pair) if kind == EventKind.PRIVILEGE_CONFIRMED else claims.discard(pair)
        elif (
            kind in (EventKind.REFERRAL_RECORDED, EventKind.REFERRAL_ENDED) and pk in self.children
        ):
            referrals = self.children[pk].referrals
            pair = (data["what"], data["until"])
            referrals.add(pair) if kind == EventKind.REFERRAL_RECORDED else referrals.discard(pair)
        elif kind in (EventKind.GROUP_CREATED, EventKind.GROUP_CHANGED):
            if event.group_id and event.kindergarten_id:
                self.group(event.group_id, event.kindergarten_id, data)
        elif kind == EventKind.ALLOCATION:
            self._allocation(event, following)
        elif kind in (EventKind.OFFER_MADE, EventKind.OFFER_UPGRADED):
            self._offer(event)
        elif kind in _OFFER_ENDS and pk is not None:
            held = self.open_offers.get(pk)
            if held is not None and held.place == event.place_id:
                del self.open_offers[pk]

    def _offer(self, event: Event) -> None:
        if not (event.child_id and event.place_id and event.group_id and event.kindergarten_id):
            self.mismatches.append(f"event {event.pk}: an offer without its child or place")
            return
        self.open_offers[event.child_id] = OpenOffer(
            place=event.place_id,
            group=event.group_id,
            kindergarten=event.kindergarten_id,
            applicant=event.child_id,
        )

    def _allocation(self, event: Event, following: list[Event]) -> None:
        """Run the core on what the engine read, and compare with the run's offers."""
        self.runs += 1
        data = event.data
        at = dt.date.fromisoformat(data["reference_date"])
        read = {int(pk): months for pk, months in data["ages"].items()}
        applicants = _applicants(read, self.children, at)
        unknown = sorted(pk for pk in read if pk not in self.children)
        if unknown:
            self.mismatches.append(f"run {data['run']}: read children with no record {unknown}")
        # The engine reads only children in good standing: the journal must say so too.
        out = sorted(a.id for a in applicants if standing(a) is not Reason.ELIGIBLE)
        if out:
            self.mismatches.append(f"run {data['run']}: read children out of standing {out}")
        free = [Place(id=p, group=g) for p, g in data["free"]]
        held = [o for pk, o in sorted(self.open_offers.items()) if pk in read]
        if event.reason == "wave":
            result = wave(
                places=free, groups=self.groups, applicants=applicants, at=at, open_offers=held
            )
        else:
            result = allocate(
                places=free, groups=self.groups, applicants=applicants, open_offers=held, at=at
            )
        run = data["run"]
        told = following
        made = sorted(
            (e.child_id, e.place_id)
            for e in told
            if e.kind in (EventKind.OFFER_MADE, EventKind.OFFER_UPGRADED)
        )
        withdrawn = sorted(
            (e.child_id, e.place_id) for e in told if e.kind == EventKind.OFFER_WITHDRAWN
        )
        if sorted((o.applicant, o.place) for o in result.offers) != made:
            self.mismatches.append(
                f"run {run}: the core offers {result.offers}, the journal {made}"
            )
        if sorted((o.applicant, o.place) for o in result.withdrawn) != withdrawn:
            self.mismatches.append(f"run {run}: withdrawn {result.withdrawn} vs {withdrawn}")


def journal_replay(events: Iterable[Event] | None = None) -> Replay:
    """Replay `events` (every event, in order) and return what it found."""
    rows = list(events if events is not None else Event.objects.order_by("pk"))
    by_run: dict[int, list[Event]] = {}
    for event in rows:
        if event.kind != EventKind.ALLOCATION and "run" in event.data:
            by_run.setdefault(event.data["run"], []).append(event)
    replay = Replay()
    for event in rows:
        run = event.data.get("run") if event.kind == EventKind.ALLOCATION else None
        replay.apply(event, by_run.get(run, []) if run is not None else [])
    return replay
