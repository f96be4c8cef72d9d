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
from django.db.models import OuterRef, Subquery

from sadok import clock
from sadok.bulk import rows_insert
from sadok.notifications.models import Channel, Delivery, DeliveryStatus, Message


@dataclass(frozen=True)
class Recipient:
    """A person as the outbox needs them: their language, their verified e-mail
    address (else "") and the phone to text if it is verified and SMS is on (else "")."""

    id: int
    language: str
    email: str = ""
    sms_to: str = ""


# The columns `recipient` takes, after a path to the person ("user__language"…),
# with `verified_email` annotated as "email": one query reads a family's people.
RECIPIENT = ("id", "language", "phone", "phone_verified", "sms_enabled")


def verified_email(user: str) -> Subquery:
    """The person's verified primary e-mail address, as an annotation."""
    from allauth.account.models import EmailAddress

    addresses = EmailAddress.objects.filter(user=OuterRef(user), verified=True, primary=True)
    return Subquery(addresses.values("email")[:1])


def recipient(
    pk: int, language: str, phone: str, phone_verified: bool, sms_enabled: bool, email: str | None
) -> Recipient:
    texts = bool(phone) and phone_verified and sms_enabled
    return Recipient(pk, language, email or "", phone if texts else "")


@dataclass(frozen=True)
class Note:
    """One event told to one person: the message, and its SMS form."""

    recipient: Recipient
    kind: str
    subject: str
    body: str
    sms: str
    link: str
    event_key: str


def notes_send(*, notes: Iterable[Note], new_events: bool = False) -> None:
    """Write the messages and their outbox rows; an event already recorded for a
    person is not repeated (the same event processed twice leaves one of each).

    `new_events`: the events cannot have been recorded before (offers made in this
    transaction), so the rows are written without that check, the cheaper way
    for the September wave's 70,000; a duplicate would fail the transaction."""
    notes = list(notes)
    if not notes:
        return
    now = clock.now()
    rows_insert(
        Message,
        ("user_id", "kind", "subject", "body", "link", "created_at", "event_key"),
        ((n.recipient.id, n.kind, n.subject, n.body, n.link, now, n.event_key) for n in notes),
        ignore_conflicts=not new_events,
    )
    host = short_link()
    outbox = []
    for n in notes:
        who = n.recipient
        if who.email:
            outbox.append(_delivery(n, Channel.EMAIL, who.email, n.body, now))
        if who.sms_to:
            outbox.append(_delivery(n, Channel.SMS, who.sms_to, f"{n.sms} {host}", now))
    rows_insert(Delivery, _DELIVERY_FIELDS, outbox, ignore_conflicts=not new_events)
    if outbox:
        transaction.on_commit(_wake_the_worker)


def outbox_write(
    *,
    sender_id: int,
    event_key: str,
    subject: str,
    body: str,
    sms: str,
    email: str = "",
    phone: str = "",
    language: str = "uk",
) -> None:
    """E-mail and SMS to addresses that belong to no account yet (a family the
    district office registered, before it attaches its child), with no cabinet
    message: the outbox rows only, under the person who sent them (`sender_id`,
    the officer), in the caller's transaction."""
    now = clock.now()
    who = Recipient(sender_id, language, email, phone)
    note = Note(who, "", subject, body, sms, "", event_key)
    outbox = []
    if email:
        outbox.append(_delivery(note, Channel.EMAIL, email, body, now))
    if phone:
        outbox.append(_delivery(note, Channel.SMS, phone, f"{sms} {short_link()}", now))
    rows_insert(Delivery, _DELIVERY_FIELDS, outbox, ignore_conflicts=True)
    if outbox:
        transaction.on_commit(_wake_the_worker)


def short_link() -> str:
    """The service's address as an SMS can carry it: host only ("sadok.kyiv.ua")."""
    return urlsplit(settings.SADOK_BASE_URL).netloc or settings.SADOK_BASE_URL


_DELIVERY_FIELDS = (
    "user_id",
    "channel",
    "address",
    "subject",
    "body",
    "link",
    "language",
    "idempotency_key",
    "status",
    "attempts",
    "provider_id",
    "last_error",
    "next_attempt_at",
    "created_at",
)


def _delivery(
    note: Note, channel: str, address: str, body: str, now: dt.datetime
) -> tuple[object, ...]:
    """An outbox row, in the order of `_DELIVERY_FIELDS`."""
    who = note.recipient
    key = f"{note.event_key}:{who.id}:{channel}"
    return (
        who.id,
        channel,
        address,
        note.subject,
        body,
        note.link,
        who.language,
        key,
        DeliveryStatus.PENDING.value,
        0,
        "",
        "",
        now,
        now,
    )


def _wake_the_worker() -> None:
    if settings.SADOK_DELIVER_ON_COMMIT:
        from sadok.notifications.tasks import deliveries_send

        deliveries_send.enqueue()
