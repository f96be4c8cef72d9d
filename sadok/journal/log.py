"""The public log (SPEC.md "Transparency"): the committed domain events as the
public may see them, numbered without gaps and chained by SHA-256.

One appender (`log_append`, run by the worker, never inside a user's transaction, so
that hashing never serialises the city's writes) reads the events after the last one
it appended, in the order of their ids, and appends each as an entry: its public
columns, its `data` without what is not public (`public_data`), the previous entry's
hash and its own (`sadok.allocation.chain`).

An event id may be missing after the last one appended: its transaction is still
open (the September wave's runs for seconds) or was rolled back. The appender waits
at such a gap; on PostgreSQL it goes past it once every transaction of the database
that was open when the gap was first seen has ended and `SADOK_LOG_GAP_SECONDS`
have passed (so the gap is a rollback's, for good). SQLite (the demo) runs one writer at a time
and reuses a rolled-back id, so a gap there is never waited on.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from sadok import clock
from sadok.allocation.chain import FIELDS, GENESIS, Head, entry_hash
from sadok.journal.models import Event, EventKind, LogCursor, LogEntry
from sadok.journal.services import SYSTEM, Fact, events_append

logger = logging.getLogger(__name__)

# What of an event's `data` is never published: the ages the engine read are keyed
# by the children's internal ids and would, day by day, tell their birthdays; a
# merge's internal ids (the application numbers are there); a privilege's category
# (the tier is there; a category may be a health condition).
PRIVATE_DATA = frozenset({"ages", "closed", "into", "category"})


def moment_text(moment: dt.datetime) -> str:
    """A time as the log carries it: UTC, to the microsecond, one way only."""
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def public_data(data: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key not in PRIVATE_DATA}


def public_entry(event: Event, seq: int) -> dict[str, Any]:
    """The entry numbered `seq` that publishes `event` (before its hash)."""
    return {
        "seq": seq,
        "at": moment_text(event.at),
        "kind": event.kind,
        "actor_role": event.actor_role,
        "application_number": event.application_number,
        "kindergarten_id": event.kindergarten_id,
        "group_id": event.group_id,
        "place_id": event.place_id,
        "offer_id": event.offer_id,
        "reason": event.reason,
        "data": public_data(event.data),
    }


def _cursor() -> LogCursor:
    LogCursor.objects.get_or_create(pk=1)
    return LogCursor.objects.select_for_update().get(pk=1)


def _open_transactions() -> list[list[str]]:
    """The transactions open now in this database but the appender's own, as
    [pid, start]: any of them may hold an event id not yet visible."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid::text, xact_start::text FROM pg_stat_activity "
            "WHERE datname = current_database() AND xact_start IS NOT NULL "
            "AND pid <> pg_backend_pid()"
        )
        return sorted([pid, start] for pid, start in cursor.fetchall())


def _gap_closed(cursor: LogCursor, missing: int, now: dt.datetime) -> bool:
    """Whether the ids from `missing` up to the next event seen will never appear:
    every transaction open when the gap was first seen has ended since."""
    if connection.vendor != "postgresql":
        return True
    if cursor.gap_id != missing or cursor.gap_seen_at is None or cursor.gap_waiting is None:
        cursor.gap_id, cursor.gap_seen_at = missing, now
        cursor.gap_waiting = _open_transactions()
        return False
    if now - cursor.gap_seen_at < dt.timedelta(seconds=settings.SADOK_LOG_GAP_SECONDS):
        return False
    still = {tuple(t) for t in _open_transactions()}
    return not any(tuple(t) in still for t in cursor.gap_waiting)


def log_append(*, limit: int = 10_000) -> int:
    """Append the events committed since the last run (at most `limit`), in one
    transaction of the appender's own; the number of entries appended."""
    with transaction.atomic():
        cursor = _cursor()
        now = clock.now()
        events = Event.objects.filter(pk__gt=cursor.event_id).order_by("pk")[:limit]
        expected, taken = cursor.event_id + 1, []
        for event in events:
            if event.pk != expected and not _gap_closed(cursor, expected, now):
                break
            taken.append(event)
            expected = event.pk + 1
        entries = _chained(taken, Head(cursor.seq, cursor.hash))
        LogEntry.objects.bulk_create(entries)
        if entries:
            cursor.seq, cursor.hash = entries[-1].seq, entries[-1].hash
            cursor.event_id = taken[-1].pk
            if cursor.gap_id is not None and cursor.gap_id <= cursor.event_id:
                cursor.gap_id = cursor.gap_seen_at = cursor.gap_waiting = None
        cursor.save()
    return len(entries)


def _chained(events: Iterable[Event], head: Head) -> list[LogEntry]:
    entries, prev, seq = [], head.hash, head.seq
    for event in events:
        seq += 1
        entry = public_entry(event, seq)
        digest = entry_hash(entry, prev)
        entries.append(LogEntry(event_id=event.pk, prev=prev, hash=digest, **entry))
        prev = digest
    return entries


def log_head() -> Head:
    """The log's current head (sequence number and hash); (0, GENESIS) when empty."""
    last = LogEntry.objects.order_by("-seq").values_list("seq", "hash").first()
    return Head(*last) if last else Head(0, GENESIS)


def log_rows(*, after: int = 0, limit: int | None = None) -> Iterable[dict[str, Any]]:
    """The entries after `after`, in order, as the public sees them (with `prev` and
    `hash`)."""
    rows = LogEntry.objects.filter(seq__gt=after).order_by("seq")
    if limit is not None:
        rows = rows[:limit]
    names = (*FIELDS, "prev", "hash")
    for values in rows.values_list(*names).iterator(chunk_size=2000):
        yield dict(zip(names, values, strict=True))


def log_repair(*, from_seq: int, note: str) -> Head:
    """Take the entries from `from_seq` on out of the log and publish their events
    again (after a fault in what was published): the one change the triggers allow,
    made in a session that says so (`sadok.log_repair`), and itself an event
    (`log_repaired`, with the head it replaced) that the log publishes. Anyone who
    saved a head past `from_seq` sees the rewrite; `note` (why, by whom) goes to the
    operators' log only. Returns the head before the repair."""
    with transaction.atomic():
        cursor = _cursor()
        old = Head(cursor.seq, cursor.hash)
        if not 1 <= from_seq <= cursor.seq:
            raise ValueError(f"the log has entries 1 to {cursor.seq}, not {from_seq}")
        kept = LogEntry.objects.filter(seq=from_seq - 1).values_list("hash", "event_id").first()
        first = LogEntry.objects.get(seq=from_seq).event_id
        if connection.vendor == "postgresql":
            with connection.cursor() as sql:
                sql.execute("SET LOCAL sadok.log_repair = 'on'")
        LogEntry.objects.filter(seq__gte=from_seq).delete()
        cursor.seq = from_seq - 1
        cursor.hash, cursor.event_id = kept if kept else (GENESIS, first - 1)
        cursor.gap_id = cursor.gap_seen_at = cursor.gap_waiting = None
        cursor.save()
        events_append(
            facts=[
                Fact(kind=EventKind.LOG_REPAIRED, data={"from": from_seq, "replaced": str(old)})
            ],
            actor=SYSTEM,
        )
    logger.warning("public log repaired from entry %d (head was %s): %s", from_seq, old, note)
    return old
