"""What the public log's tests share: events to publish, and a log that starts after
the last event id handed out."""

from django.db import connection, transaction

from sadok.allocation.chain import GENESIS, entry_hash
from sadok.journal.log import log_rows
from sadok.journal.models import EventKind, LogCursor
from sadok.journal.services import SYSTEM, Fact, events_append


def events_made(n: int, start: int = 0) -> None:
    """`n` events of children numbered N0000000… (from `start`), committed with the
    caller's transaction."""
    events_append(
        facts=[
            Fact(
                kind=EventKind.CHOICE_ADDED,
                child_id=1000 + i,
                application_number=f"N{i:07d}",
                kindergarten_id=7,
                data={"choices": [7, i]},
            )
            for i in range(start, start + n)
        ],
        actor=SYSTEM,
    )


def log_starts_now() -> None:
    """The events' ids go on across tests (a sequence is not rolled back): the log
    starts after the last id handed out, as on a database whose log began empty."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_value, is_called FROM journal_event_id_seq")
        last, called = cursor.fetchone()
    LogCursor.objects.update_or_create(pk=1, defaults={"event_id": last if called else last - 1})


def log_forge(sql: str, params=()) -> None:
    """A change made with the protection switched off, as a superuser could."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL sadok.log_repair = 'on'")
        cursor.execute(sql, params)


def log_rehash_from(seq: int) -> None:
    """Recompute the hashes from `seq` on, as a forger would to hide an edit."""
    rows = list(log_rows())
    prev = rows[seq - 2]["hash"] if seq > 1 else GENESIS
    for row in rows[seq - 1 :]:
        digest = entry_hash(row, prev)
        log_forge(
            "UPDATE journal_logentry SET prev = %s, hash = %s WHERE seq = %s",
            (prev, digest, row["seq"]),
        )
        prev = digest
