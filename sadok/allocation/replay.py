"""Replaying the public log through the core: does every offer follow from the rules?

The public log (`docs/open-data.md`) is read in order into the state the queue rule
needs: each application's record (choices, claims and referrals with their last
days, kindergartens where it holds a place, standing, registration time, lottery
number), each group's band and referral, each open offer. At every `allocation`
entry the core runs again on what the run read — the free places it started from,
its reference date, and the age in whole years of each child it read — and its
offers (and the offers it withdrew for upgrades) must be exactly the run's offer
entries. Anything else is reported, naming the entry.

A child is known by its application number only. The log carries no birth date and
no age in months: a group's band is whole years (SPEC.md "Group formation"), so the
age in whole years on the run's day decides every band, and a birth date with that
age is made up for the core. What that does and does not reveal is written in
`docs/open-data.md`.

Plain Python over plain dictionaries (the entries as the API serves them), so that
`tools/verify_public_log.py` runs it with the standard library alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sadok.allocation.ages import AgeRange, born_with_age
from sadok.allocation.applicants import applicant_from
from sadok.allocation.model import Applicant, GroupSpec, OpenOffer, Place, Reason
from sadok.allocation.offers import allocate
from sadok.allocation.queue import standing
from sadok.allocation.wave import wave

Entry = Mapping[str, Any]

# The kinds of entry the replay reads (`docs/events.md`); the others do not change
# what the engine reads.
_FLIPS = {
    "contacts_verified": ("verified", True),
    "contacts_unverified": ("verified", False),
    "flag_raised": ("flagged", True),
    "flag_resolved": ("flagged", False),
    "reactivated": ("active", True),
    "deactivated": ("active", False),
    "keep_waiting_on": ("keep_waiting", True),
    "keep_waiting_off": ("keep_waiting", False),
}
_CHOICES = {"choice_added", "choice_removed", "choice_moved"}
_OFFERS = {"offer_made", "offer_upgraded"}
_OFFER_ENDS = {"offer_withdrawn", "offer_accepted", "offer_declined", "offer_expired"}
_PAIRS = {
    "privilege_confirmed": ("privileges", True),
    "privilege_ended": ("privileges", False),
    "referral_recorded": ("referrals", True),
    "referral_ended": ("referrals", False),
}


@dataclass
class _Child:
    registered_at: dt.datetime
    lottery: int
    active: bool
    keep_waiting: bool
    verified: bool
    flagged: bool
    choices: list[int]
    privileges: set[tuple[Any, Any]]
    referrals: set[tuple[Any, Any]]
    held: list[int]


def _child(data: Mapping[str, Any]) -> _Child:
    """An application from its record's snapshot (`docs/events.md`, "registered")."""
    lists = data["lists"]
    return _Child(
        registered_at=dt.datetime.fromisoformat(data["registered_at"]),
        lottery=data["lottery"],
        active=data["active"],
        keep_waiting=data["keep_waiting"],
        verified=data["verified"],
        flagged=data["flagged"],
        choices=list(lists["choices"]),
        privileges={(t, u) for t, u in lists["privileges"]},
        referrals={(k, u) for k, u in lists["referrals"]},
        held=list(lists["held"]),
    )


@dataclass
class Replay:
    """What the replay found: the runs and offers it checked, and what did not hold."""

    children: dict[str, _Child] = field(default_factory=dict)
    groups: dict[int, GroupSpec] = field(default_factory=dict)
    open_offers: dict[str, OpenOffer] = field(default_factory=dict)
    mismatches: list[str] = field(default_factory=list)
    runs: int = 0
    offers: int = 0
    # The core knows children by an integer: one per application number, in order of
    # appearance (nothing decides by it: the last tie-breaker is the number itself).
    _keys: dict[str, int] = field(default_factory=dict)
    _numbers: list[str] = field(default_factory=list)

    def key(self, number: str) -> int:
        if number not in self._keys:
            self._keys[number] = len(self._numbers)
            self._numbers.append(number)
        return self._keys[number]

    def group(self, entry: Entry) -> None:
        data = entry["data"]
        self.groups[entry["group_id"]] = GroupSpec(
            id=entry["group_id"],
            kindergarten=entry["kindergarten_id"],
            ages=AgeRange(data["age_from_months"], data["age_to_months"]),
            referral=data.get("referral"),
        )

    def apply(self, entry: Entry, run: list[Entry]) -> None:
        """Read one entry; an allocation's `run` is its offer entries."""
        kind, data, number = entry["kind"], entry["data"], entry["application_number"]
        child = self.children.get(number) if number else None
        if kind == "genesis":
            self._genesis(entry)
        elif kind == "registered" and number:
            self.children[number] = _child(data)
        elif kind == "left_queue":
            self.children.pop(number, None)
        elif child is not None and kind in _FLIPS:
            name, value = _FLIPS[kind]
            setattr(child, name, value)
        elif child is not None and kind in _CHOICES:
            child.choices = list(data["choices"])
        elif child is not None and kind == "date_restored":
            child.registered_at = dt.datetime.fromisoformat(data["registered_at"])
        elif child is not None and kind == "held_changed":
            child.held = list(data["held"])
        elif child is not None and kind in _PAIRS:
            name, add = _PAIRS[kind]
            pairs: set[tuple[Any, Any]] = getattr(child, name)
            pair = (data["what"], data["until"])
            pairs.add(pair) if add else pairs.discard(pair)
        elif kind == "records_merged" and data.get("offers") and data.get("into_number"):
            # The closed record's open offer went to the record kept.
            held = self.open_offers.pop(number, None)
            if held is not None:
                into = data["into_number"]
                self.open_offers[into] = OpenOffer(
                    place=held.place,
                    group=held.group,
                    kindergarten=held.kindergarten,
                    applicant=self.key(into),
                )
        elif kind in ("group_created", "group_changed"):
            if entry["group_id"] and entry["kindergarten_id"]:
                self.group(entry)
        elif kind == "allocation":
            self._allocation(entry, run)
        elif kind in _OFFERS:
            self._offer(entry)
        elif kind in _OFFER_ENDS:
            held = self.open_offers.get(number)
            if held is not None and held.place == entry["place_id"]:
                del self.open_offers[number]

    def _genesis(self, entry: Entry) -> None:
        reason, number = entry["reason"], entry["application_number"]
        if reason == "child" and number:
            self.children[number] = _child(entry["data"])
        elif reason == "group" and entry["group_id"] and entry["kindergarten_id"]:
            self.group(entry)
        elif reason == "place" and number and entry["data"].get("offer_status") == "offered":
            self._offer(entry)

    def _offer(self, entry: Entry) -> None:
        number = entry["application_number"]
        if not (number and entry["place_id"] and entry["group_id"] and entry["kindergarten_id"]):
            self.mismatches.append(f"entry {entry['seq']}: an offer without its child or place")
            return
        self.open_offers[number] = OpenOffer(
            place=entry["place_id"],
            group=entry["group_id"],
            kindergarten=entry["kindergarten_id"],
            applicant=self.key(number),
        )

    def _read(self, years: Mapping[str, int], at: dt.date) -> list[Applicant]:
        """The children the run read, as the engine saw them, each with a birth date
        of its age in whole years on the run's day."""
        day = at.isoformat()
        born = {
            y: born_with_age(12 * y, at) if y >= 0 else at + dt.timedelta(days=1)  # not born
            for y in set(years.values())
        }
        return [
            applicant_from(
                self.key(number),
                born[y],
                c.registered_at,
                c.lottery,
                number,
                c.active,
                c.keep_waiting,
                c.verified,
                c.flagged,
                {
                    "choices": c.choices,
                    "privileges": sorted(c.privileges, key=str),
                    "referrals": sorted(c.referrals, key=str),
                    "held": c.held,
                },
                at=at,
                day=day,
            )
            for number, y in sorted(years.items())
            if (c := self.children.get(number)) is not None
        ]

    def _allocation(self, entry: Entry, run: list[Entry]) -> None:
        """Run the core on what the run read, and compare with the run's offers."""
        self.runs += 1
        seq, data = entry["seq"], entry["data"]
        if "years" not in data:
            self.mismatches.append(f"entry {seq}: the run carries no ages in years to replay")
            return
        at = dt.date.fromisoformat(data["reference_date"])
        years: dict[str, int] = data["years"]
        unknown = sorted(n for n in years if n not in self.children)
        if unknown:
            self.mismatches.append(f"entry {seq}: the run read applications not in the log")
        applicants = self._read(years, at)
        # The engine reads only children in good standing: the log must say so too.
        if any(standing(a) is not Reason.ELIGIBLE for a in applicants):
            self.mismatches.append(f"entry {seq}: the run read applications out of standing")
        free = [Place(id=p, group=g) for p, g in data["free"]]
        for group in {p.group for p in free}:
            spec = self.groups.get(group)
            if spec is None or spec.ages.from_months % 12 or spec.ages.to_months % 12:
                self.mismatches.append(f"entry {seq}: group {group} has no band in whole years")
                return
        held = [o for number, o in sorted(self.open_offers.items()) if number in years]
        engine = wave if entry["reason"] == "wave" else allocate
        result = engine(
            places=free, groups=self.groups, applicants=applicants, open_offers=held, at=at
        )
        names = self._numbers
        offered = sorted((names[o.applicant], o.place) for o in result.offers)
        withdrawn = sorted((names[o.applicant], o.place) for o in result.withdrawn)
        self.offers += len(offered)
        logged = sorted(
            (e["application_number"], e["place_id"]) for e in run if e["kind"] in _OFFERS
        )
        if offered != logged:
            self.mismatches.append(
                f"entry {seq}: the rules offer {_pairs(offered)}, the log {_pairs(logged)}"
            )
        back = sorted(
            (e["application_number"], e["place_id"]) for e in run if e["kind"] == "offer_withdrawn"
        )
        if withdrawn != back:
            self.mismatches.append(
                f"entry {seq}: the rules withdraw {_pairs(withdrawn)}, the log {_pairs(back)}"
            )


def _pairs(pairs: list[tuple[str, int]]) -> str:
    shown = ", ".join(f"{number}→place {place}" for number, place in pairs[:5])
    more = f" and {len(pairs) - 5} more" if len(pairs) > 5 else ""
    return f"[{shown}{more}]"


def replay(entries: Iterable[Entry]) -> Replay:
    """Replay the log's `entries` (all of them, from the first, in order)."""
    rows = list(entries)
    runs: dict[Any, list[Entry]] = {}
    for entry in rows:
        if entry["kind"] != "allocation" and "run" in entry["data"]:
            runs.setdefault(entry["data"]["run"], []).append(entry)
    result = Replay()
    for entry in rows:
        run = entry["data"].get("run") if entry["kind"] == "allocation" else None
        try:
            result.apply(entry, runs.get(run, []) if run is not None else [])
        except (KeyError, ValueError, TypeError, AttributeError, IndexError) as error:
            # A log not as Sadok writes it (forged, or cut): said, never a crash.
            result.mismatches.append(f"entry {entry.get('seq')}: cannot be replayed: {error!r}")
    return result
