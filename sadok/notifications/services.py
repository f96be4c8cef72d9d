"""Writing messages to families (the cabinet inbox; e-mail and SMS arrive with
the notifications issue through an outbox written in the same transaction)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sadok import clock
from sadok.accounts.models import User
from sadok.notifications.models import Message


@dataclass(frozen=True)
class Note:
    """One message for one person about one event."""

    user: User
    kind: str
    subject: str
    body: str
    link: str
    event_key: str


def notes_send(*, notes: Iterable[Note]) -> None:
    """Write the cabinet messages in one statement; an event already recorded for a
    person is not repeated (the same event processed twice leaves one message)."""
    now = clock.now()
    Message.objects.bulk_create(
        (
            Message(
                user=n.user,
                kind=n.kind,
                subject=n.subject,
                body=n.body,
                link=n.link,
                created_at=now,
                event_key=n.event_key,
            )
            for n in notes
        ),
        ignore_conflicts=True,
        batch_size=5000,
    )
