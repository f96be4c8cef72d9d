"""The domain events of a queue record's change: what a child's refresh changed in
who waits where, told as the events of `sadok.journal` (`docs/events.md`).

Derived from the record before and after, so that every path that changes a source
(the cabinet, an officer in the admin, a verified e-mail in allauth, an offer's
life) tells the same events, and none can forget one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sadok.journal.models import EventKind
from sadok.journal.services import Fact

Record = dict[str, Any]


# What a record's snapshot carries: everything the queue rule reads but the birth
# date (each allocation's event has the ages it read).
SNAPSHOT = (
    "registered_at",
    "lottery",
    "number",
    "active",
    "keep_waiting",
    "verified",
    "flagged",
    "lists",
)


def snapshot(record: Record) -> dict[str, Any]:
    return {
        name: record[name].isoformat() if hasattr(record[name], "isoformat") else record[name]
        for name in SNAPSHOT
    }


def _flip(before: Record, after: Record, field: str, on: str, off: str) -> list[str]:
    if before[field] == after[field]:
        return []
    return [on if after[field] else off]


def _pairs(record: Record, name: str) -> set[tuple[Any, Any]]:
    return {tuple(pair) for pair in record["lists"][name]}


def record_facts(
    changes: Iterable[tuple[int, Record | None, Record | None]],
    numbers: dict[int, str],
    reason: str = "",
) -> list[Fact]:
    """The facts of each (child, record before, record after) that differ, each with
    the `reason` code of the decision that changed them (a district office's)."""
    facts: list[Fact] = []
    for child, before, after in changes:
        facts += _child_facts(child, numbers.get(child, ""), before, after, reason)
    return facts


def _child_facts(
    child: int, number: str, before: Record | None, after: Record | None, reason: str
) -> list[Fact]:
    facts: list[Fact] = []

    def fact(kind: str, **extra: Any) -> None:
        facts.append(
            Fact(kind=kind, child_id=child, application_number=number, reason=reason, **extra)
        )

    if before is None and after is not None:
        fact(EventKind.REGISTERED, data=snapshot(after))
        return facts
    if after is None or before is None:
        if before is not None:
            fact(EventKind.LEFT_QUEUE)
        return facts
    if before["registered_at"] != after["registered_at"]:
        # Only an older date from the old system moves it (`DecisionReason.OLD_SYSTEM_DATE`),
        # or the earlier date of a duplicate merged into this record.
        fact(EventKind.DATE_RESTORED, data={"registered_at": snapshot(after)["registered_at"]})
    kinds = [
        *_flip(
            before,
            after,
            "verified",
            EventKind.CONTACTS_VERIFIED,
            EventKind.CONTACTS_UNVERIFIED,
        ),
        *_flip(before, after, "flagged", EventKind.FLAG_RAISED, EventKind.FLAG_RESOLVED),
        *_flip(before, after, "active", EventKind.REACTIVATED, EventKind.DEACTIVATED),
        *_flip(
            before, after, "keep_waiting", EventKind.KEEP_WAITING_ON, EventKind.KEEP_WAITING_OFF
        ),
    ]
    for kind in kinds:
        fact(kind)
    old, new = before["lists"]["choices"], after["lists"]["choices"]
    if old != new:
        ranks = {"choices": new}
        for kindergarten in [k for k in new if k not in old]:
            fact(EventKind.CHOICE_ADDED, kindergarten_id=kindergarten, data=ranks)
        for kindergarten in [k for k in old if k not in new]:
            fact(EventKind.CHOICE_REMOVED, kindergarten_id=kindergarten, data=ranks)
        if set(old) == set(new):
            fact(EventKind.CHOICE_MOVED, data=ranks)
    if sorted(before["lists"]["held"]) != sorted(after["lists"]["held"]):
        fact(EventKind.HELD_CHANGED, data={"held": after["lists"]["held"]})
    for name, added, ended in (
        ("privileges", EventKind.PRIVILEGE_CONFIRMED, EventKind.PRIVILEGE_ENDED),
        ("referrals", EventKind.REFERRAL_RECORDED, EventKind.REFERRAL_ENDED),
    ):
        was, now = _pairs(before, name), _pairs(after, name)
        for what, until in sorted(now - was, key=str):
            fact(added, data={"what": what, "until": until})
        for what, until in sorted(was - now, key=str):
            fact(ended, data={"what": what, "until": until})
    return facts
