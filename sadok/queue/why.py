"""Why a child's position changed since the family last looked, and how long it may
still wait (docs/queue-rules.md, "Why a position changed", "The expected wait").

Read from the domain events (`sadok.journal`), which every change of a queue
appends in its transaction, in a fixed number of statements whatever the number of
events or queues. Another child is named by nothing: "a child with a confirmed
privilege", never a number or a name.

"Ahead" compares the other child's place in the rule's order (`queue.ORDER`: tier,
registration time, lottery, application number) with this child's, both from their
queue records as they are now, the tier on today: an approximation (a record
changed again since the event reads as it is now), and a child with no record any
more (it left every queue) cannot be placed and is not listed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db import connection

from sadok.allocation.queue import tier_on
from sadok.allocation.wait import wait_months
from sadok.applications.models import Child, Choice
from sadok.journal.models import Event, EventKind
from sadok.kindergartens.models import Group
from sadok.queue.models import QueueRecord
from sadok.queue.selectors import ChoiceStanding


class Cause(StrEnum):
    """What moved the child, as the family reads it (`templatetags.cabinet`)."""

    PRIVILEGED_AHEAD = "privileged_ahead"
    AHEAD_TOOK_PLACE = "ahead_took_place"
    AHEAD_ENROLLED = "ahead_enrolled"
    AHEAD_DEACTIVATED = "ahead_deactivated"
    AHEAD_REMOVED = "ahead_removed"
    OFFER_AHEAD = "offer_ahead"
    OFFER_BEHIND = "offer_behind"
    OWN_BAND = "own_band"
    OWN_PRIVILEGE = "own_privilege"
    OWN_PRIVILEGE_ENDED = "own_privilege_ended"
    OWN_CHOICE_MOVED = "own_choice_moved"
    OWN_DEACTIVATED = "own_deactivated"
    OWN_REACTIVATED = "own_reactivated"
    OWN_DATE_RESTORED = "own_date_restored"


@dataclass(frozen=True)
class Change:
    at: dt.datetime | dt.date
    cause: Cause
    group: str = ""  # the group's name where it says which


@dataclass(frozen=True)
class History:
    """One choice's changes since the last look (oldest first), the position then and
    now (None: in no queue), and the expected wait in months (None: not known)."""

    changes: list[Change] = field(default_factory=list)
    was: int | None = None
    now: int | None = None
    wait: tuple[int, int] | None = None


# The child's own events that move it in every queue of its kindergartens.
_OWN: dict[str, Cause] = {
    EventKind.PRIVILEGE_CONFIRMED: Cause.OWN_PRIVILEGE,
    EventKind.PRIVILEGE_ENDED: Cause.OWN_PRIVILEGE_ENDED,
    EventKind.CHOICE_MOVED: Cause.OWN_CHOICE_MOVED,
    EventKind.DEACTIVATED: Cause.OWN_DEACTIVATED,
    EventKind.REACTIVATED: Cause.OWN_REACTIVATED,
    EventKind.DATE_RESTORED: Cause.OWN_DATE_RESTORED,
}
# Another child's events that move this one up when that child was ahead.
_AHEAD: dict[str, Cause] = {
    EventKind.HELD_CHANGED: Cause.AHEAD_TOOK_PLACE,
    EventKind.DOCUMENTS_CONFIRMED: Cause.AHEAD_ENROLLED,
    EventKind.DEACTIVATED: Cause.AHEAD_DEACTIVATED,
    EventKind.CHOICE_REMOVED: Cause.AHEAD_REMOVED,
}
_OFFERS: list[str] = [EventKind.OFFER_MADE, EventKind.OFFER_UPGRADED]
_OTHERS: list[str] = [EventKind.PRIVILEGE_CONFIRMED, *_AHEAD]

Key = tuple[int, dt.datetime, int, str]


def _key(record: dict[str, Any], today: dt.date, privileges: Iterable[Any] | None = None) -> Key:
    """The child's place in the rule's order (`queue.ORDER`) on `today`."""
    claims = record["lists"].get("privileges", []) if privileges is None else privileges
    tier = tier_on([(t, dt.date.fromisoformat(u) if u else None) for t, u in claims], at=today)
    return (tier.value, record["registered_at"], record["lottery"], record["number"])


def _in(items: list[int] | list[str]) -> str:
    return ", ".join(["%s"] * len(items)) or "NULL"


# The statements below are raw SQL: their parameters and results pass no field's
# conversion. SQLite (the demo) keeps date-times as UTC text without a zone and
# dates as text; these make them what PostgreSQL returns.
def _param(moment: dt.datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(moment)


def _aware(value: Any) -> Any:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value


def _day(value: Any) -> Any:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _events(
    child: int, kindergartens: list[int], groups: list[int], since: dt.datetime, until: dt.datetime
) -> list[tuple[Any, ...]]:
    """The events in (since, until] of the child, of the places offered in `groups`,
    and of other children who chose one of `kindergartens`, each with the other
    child's queue record (if it still has one): one statement."""
    quote = connection.ops.quote_name
    event, record = quote(Event._meta.db_table), quote(QueueRecord._meta.db_table)
    choice = quote(Choice._meta.db_table)
    sql = (
        f"SELECT e.at, e.kind, e.child_id, e.kindergarten_id, e.group_id, "  # noqa: S608
        f"CAST(e.data AS text), r.registered_at, r.lottery, r.number, r.born, "
        f"CAST(r.lists AS text) FROM {event} e LEFT JOIN {record} r ON r.child_id = e.child_id "
        f"WHERE e.at > %s AND e.at <= %s AND (e.child_id = %s "
        f"OR (e.kind IN ({_in(_OFFERS)}) AND e.group_id IN ({_in(groups)})) "
        f"OR (e.kind IN ({_in(_OTHERS)}) AND e.child_id IN "
        f"(SELECT c.child_id FROM {choice} c WHERE c.kindergarten_id IN ({_in(kindergartens)}))) "
        f"OR (e.kind = %s AND e.kindergarten_id IN ({_in(kindergartens)}))) "
        f"ORDER BY e.at, e.id"
    )
    params: list[Any] = [
        _param(since),
        _param(until),
        child,
        *_OFFERS,
        *groups,
        *_OTHERS,
        *kindergartens,
        EventKind.CHOICE_REMOVED,
        *kindergartens,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [
            (_aware(at), kind, other, kindergarten, group, data, _aware(registered), lottery,
             number, _day(born), lists)
            for at, kind, other, kindergarten, group, data, registered, lottery, number, born, lists
            in cursor.fetchall()
        ]  # fmt: skip


def _decoded(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def histories_of(
    *,
    child: Child,
    standings: list[ChoiceStanding],
    since: dt.datetime,
    now: dt.datetime,
    today: dt.date,
    seen: dict[int, dict[str, Any]],
) -> dict[int, History]:
    """For each chosen kindergarten (by id): what moved the child in its queue there
    between `since` and `now` (SPEC.md "Transparency"), the position at the last look
    (`seen`, by kindergarten id) and now, and the expected wait. Four statements."""
    kindergartens = [s.choice.kindergarten_id for s in standings]
    groups = [s.group_now.pk for s in standings if s.group_now is not None]
    mine = (
        QueueRecord.objects.filter(child=child)
        .values("registered_at", "lottery", "number", "lists")
        .first()
    )
    my_key = _key(dict(mine), today) if mine else None
    rows = _events(child.pk, kindergartens, groups, since, now) if kindergartens else []
    rates = offer_history(groups=groups, now=now)
    found: defaultdict[int, list[Change]] = defaultdict(list)
    for standing in standings:
        found[standing.choice.kindergarten_id] += _band_changes(child, standing, since, today)
    for at, kind, other, kindergarten, group, data, *record in rows:
        data = _decoded(data)
        for standing in standings:
            cause = _cause(
                child.pk, my_key, standing, today, kind, other, kindergarten, group, data, record
            )
            if cause is not None:
                found[standing.choice.kindergarten_id].append(Change(at, cause))
    histories = {}
    for standing in standings:
        k = standing.choice.kindergarten_id
        now_place = standing.position_now.place if standing.position_now else None
        wait = None
        if standing.group_now is not None and now_place is not None:
            offers, months = rates.get(standing.group_now.pk, (0, 0.0))
            wait = wait_months(
                position=now_place,
                offers=offers,
                months=months,
                min_offers=settings.SADOK_WAIT_MIN_OFFERS,
                min_months=settings.SADOK_WAIT_MIN_MONTHS,
            )
        changes = sorted(found[k], key=lambda c: _moment(c.at))
        histories[k] = History(changes, (seen.get(k) or {}).get("place"), now_place, wait)
    return histories


def _moment(at: dt.datetime | dt.date) -> dt.datetime:
    if isinstance(at, dt.datetime):
        return at
    return dt.datetime.combine(at, dt.time.min, tzinfo=dt.UTC)


def _cause(
    me: int,
    my_key: Key | None,
    standing: ChoiceStanding,
    today: dt.date,
    kind: str,
    other: int | None,
    kindergarten: int | None,
    group: int | None,
    data: dict[str, Any],
    record: list[Any],
) -> Cause | None:
    """What an event did to the child in `standing`'s kindergarten, if anything."""
    if other == me:
        return _OWN.get(kind)
    now_group = standing.group_now
    if now_group is None or my_key is None or record[0] is None:
        return None  # not in a queue here now, or the other child cannot be placed
    registered_at, lottery, number, born, lists = record
    theirs = {
        "registered_at": registered_at,
        "lottery": lottery,
        "number": number,
        "lists": _decoded(lists),
    }
    if kind in _OFFERS:
        if group != now_group.pk:
            return None
        return Cause.OFFER_AHEAD if _key(theirs, today) < my_key else Cause.OFFER_BEHIND
    if not now_group.age_range.holds_child(born=born, at=today):
        return None  # not in the same group's queue
    if kind == EventKind.CHOICE_REMOVED and kindergarten != standing.choice.kindergarten_id:
        return None
    if kind == EventKind.DOCUMENTS_CONFIRMED and kindergarten is None:
        return None
    if kind == EventKind.PRIVILEGE_CONFIRMED:
        claim = [data.get("what"), data.get("until")]
        claims = [list(c) for c in theirs["lists"].get("privileges", [])]
        before = _key(theirs, today, [c for c in claims if c != claim])
        after = _key(theirs, today, [*claims, claim])
        return Cause.PRIVILEGED_AHEAD if after < my_key < before else None
    if kind == EventKind.HELD_CHANGED and not data.get("held"):
        return None
    return _AHEAD.get(kind) if _key(theirs, today) < my_key else None


def _band_changes(
    child: Child, standing: ChoiceStanding, since: dt.datetime, today: dt.date
) -> list[Change]:
    """The days between the last look and today on which the child's age moved it to
    another group's queue at this kindergarten (its birthday or a month's turn)."""
    groups = standing.groups

    def group_on(day: dt.date) -> Group | None:
        return next((g for g in groups if g.age_range.holds_child(born=child.born, at=day)), None)

    changes = []
    day = max(since.date(), today - dt.timedelta(days=3 * 366))
    was = group_on(day)
    while day < today:
        day += dt.timedelta(days=1)
        now = group_on(day)
        if now != was and now is not None:
            changes.append(Change(day, Cause.OWN_BAND, now.name))
        was = now
    return changes


def offer_history(*, groups: list[int], now: dt.datetime) -> dict[int, tuple[int, float]]:
    """For each of `groups`: the places offered in it over the last
    `SADOK_WAIT_HISTORY_MONTHS` months, and over how many months of its history (the
    window, or less since the group's first event): one statement."""
    if not groups:
        return {}
    window = settings.SADOK_WAIT_HISTORY_MONTHS
    start = now - dt.timedelta(days=window * 30.4375)
    quote = connection.ops.quote_name
    sql = (
        f"SELECT group_id, MIN(at), SUM(CASE WHEN kind IN (%s, %s) AND at > %s "  # noqa: S608
        f"THEN 1 ELSE 0 END) FROM {quote(Event._meta.db_table)} "
        f"WHERE group_id IN ({_in(groups)}) AND at <= %s GROUP BY group_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*_OFFERS, _param(start), *groups, _param(now)])
        rows = cursor.fetchall()
    history = {}
    for group, earliest, offers in rows:
        first = _aware(earliest)
        months = min(float(window), (now - max(first, start)).total_seconds() / 86400 / 30.4375)
        history[int(group)] = (int(offers or 0), months)
    return history
