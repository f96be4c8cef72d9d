"""What the public log's tests share: events to publish, and a log that starts after
the last event id handed out."""

from django.db import connection

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
