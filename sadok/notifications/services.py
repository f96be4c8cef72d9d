"""Telling families: the cabinet inbox and the transactional outbox of e-mail and
SMS (SPEC.md "Group formation", step 3).

`notes_send` writes, in the caller's transaction, one cabinet message per person
and event, and one outbox row per channel the person can receive. The worker
(`deliveries_process`) sends the outbox rows after the commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction

from sadok import clock
from sadok.accounts.models import User
from sadok.notifications.models import Channel, Delivery, Message


@dataclass(frozen=True)
class Note:
    """One event told to one person: the message, and its SMS form."""

    user: User
    kind: str
    subject: str
    body: str
    sms: str
    link: str
    event_key: str


def _verified_emails(users: set[int]) -> dict[int, str]:
    from allauth.account.models import EmailAddress

    return dict(
        EmailAddress.objects.filter(user__in=users, verified=True, primary=True).values_list(
            "user_id", "email"
        )
    )


def notes_send(*, notes: Iterable[Note]) -> None:
    """Write the messages and their outbox rows; an event already recorded for a
    person is not repeated (the same event processed twice leaves one of each)."""
    notes = list(notes)
    if not notes:
        return
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
    emails = _verified_emails({n.user.pk for n in notes})
    outbox = []
    for n in notes:
        if n.user.pk in emails:
            outbox.append(_delivery(n, Channel.EMAIL, emails[n.user.pk], n.body, now))
        if n.user.phone_verified and n.user.sms_enabled and n.user.phone:
            outbox.append(_delivery(n, Channel.SMS, n.user.phone, f"{n.sms} {short_link()}", now))
    Delivery.objects.bulk_create(outbox, ignore_conflicts=True, batch_size=5000)
    if outbox:
        transaction.on_commit(_wake_the_worker)


def short_link() -> str:
    """The service's address as an SMS can carry it: host only ("sadok.kyiv.ua")."""
    return urlsplit(settings.SADOK_BASE_URL).netloc or settings.SADOK_BASE_URL


def _delivery(note: Note, channel: str, address: str, body: str, now: dt.datetime) -> Delivery:
    return Delivery(
        user=note.user,
        channel=channel,
        address=address,
        subject=note.subject,
        body=body,
        link=note.link,
        language=note.user.language,
        idempotency_key=f"{note.event_key}:{note.user.pk}:{channel}",
        next_attempt_at=now,
        created_at=now,
    )


def _wake_the_worker() -> None:
    if settings.SADOK_DELIVER_ON_COMMIT:
        from sadok.notifications.tasks import deliveries_send

        deliveries_send.enqueue()
