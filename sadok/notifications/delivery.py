"""Sending the outbox: retries with exponential backoff, a log of every attempt,
and a lease so that a worker that died mid-batch loses nothing.

A row is taken (status `sending`, a lease time) in one short transaction, sent
outside any transaction, and its result written in another. If the worker dies
after the provider accepted a message but before that last commit, the lease
expires and the row is sent again with the same idempotency key (e-mail
Message-ID, TurboSMS sequence id): the only case of a second send, and a
recognisable one.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import translation

from sadok import clock
from sadok.notifications.models import Channel, Delivery, DeliveryAttempt, DeliveryStatus
from sadok.sms import PermanentSmsError, Sms, sms_backend

logger = logging.getLogger(__name__)


@dataclass
class DeliveryReport:
    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def message_id(delivery: Delivery) -> str:
    return f"<{delivery.idempotency_key.replace(':', '.')}@{settings.SADOK_MAIL_DOMAIN}>"


def _take(limit: int, now: dt.datetime) -> list[Delivery]:
    """Lease due rows; rows whose lease expired (a dead worker) are due again."""
    lease_expired = now - dt.timedelta(seconds=settings.SADOK_DELIVERY_LEASE_SECONDS)
    with transaction.atomic():
        rows = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(
                Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
                | Q(status=DeliveryStatus.SENDING, sending_since__lt=lease_expired)
            )
            .order_by("next_attempt_at", "pk")[:limit]
        )
        Delivery.objects.filter(pk__in=[row.pk for row in rows]).update(
            status=DeliveryStatus.SENDING, sending_since=now, attempts=F("attempts") + 1
        )
    for row in rows:
        row.status, row.sending_since, row.attempts = DeliveryStatus.SENDING, now, row.attempts + 1
    return rows


class _Senders:
    """One batch's connections: an SMTP connection opened at the first e-mail and
    kept for the rest (closed after an error, so that the next e-mail opens a fresh
    one), and one SMS backend (TurboSMS keeps its HTTP connection)."""

    def __init__(self) -> None:
        self.mail = get_connection(timeout=settings.SADOK_EMAIL_TIMEOUT_SECONDS)
        self.mail_open = False
        self.sms = sms_backend()

    def send(self, delivery: Delivery) -> str:
        if delivery.channel == Channel.SMS:
            return self.sms.send(
                Sms(phone=delivery.address, text=delivery.body), key=delivery.idempotency_key
            )
        if not self.mail_open:
            self.mail.open()
            self.mail_open = True
        try:
            email_message(delivery, connection=self.mail).send()
        except Exception:
            self.close()
            raise
        return message_id(delivery)

    def close(self) -> None:
        if self.mail_open:
            self.mail_open = False
            try:
                self.mail.close()
            except Exception:  # a broken connection: the next one is fresh
                logger.info("closing the SMTP connection failed", exc_info=True)


def deliveries_process(*, limit: int = 100) -> DeliveryReport:
    """Send what is due, once each, until nothing is due."""
    report = DeliveryReport()
    while True:
        now = clock.now()
        batch = _take(limit, now)
        if not batch:
            return report
        senders = _Senders()
        try:
            for delivery in batch:
                _send_one(delivery, senders, report)
        finally:
            senders.close()


def _send_one(delivery: Delivery, senders: _Senders, report: DeliveryReport) -> None:
    try:
        provider_id = senders.send(delivery)
    except PermanentSmsError as error:
        _record(delivery, ok=False, answer=str(error), give_up=True)
        report.failed.append(delivery.pk)
    except Exception as error:
        logger.warning("delivery %s (%s) failed: %s", delivery.pk, delivery.channel, error)
        gave_up = _record(delivery, ok=False, answer=f"{type(error).__name__}: {error}")
        (report.failed if gave_up else report.retrying).append(delivery.pk)
    else:
        _after_provider_accepted(delivery)
        _record(delivery, ok=True, answer=provider_id or "accepted", provider_id=provider_id)
        report.sent.append(delivery.pk)


def _after_provider_accepted(delivery: Delivery) -> None:
    """A seam for the crash test: the moment between the provider's acceptance and
    our commit."""


def _record(
    delivery: Delivery, *, ok: bool, answer: str, provider_id: str = "", give_up: bool = False
) -> bool:
    """Write the attempt and the row's new state; True when it was given up."""
    now = clock.now()
    if ok:
        _record_sent(delivery, at=now, answer=answer, provider_id=provider_id)
        return False
    with transaction.atomic():
        DeliveryAttempt.objects.create(delivery_id=delivery.pk, at=now, ok=ok, answer=answer[:2000])
        row = Delivery.objects.select_for_update().get(pk=delivery.pk)
        if give_up or row.attempts >= settings.SADOK_DELIVERY_MAX_ATTEMPTS:
            row.status, row.last_error = DeliveryStatus.FAILED, answer[:2000]
        else:
            backoff = settings.SADOK_DELIVERY_BACKOFF_SECONDS * 2 ** (row.attempts - 1)
            row.status, row.last_error = DeliveryStatus.PENDING, answer[:2000]
            row.next_attempt_at = now + dt.timedelta(seconds=backoff)
        row.sending_since = None
        row.save()
    return row.status == DeliveryStatus.FAILED


def _record_sent(delivery: Delivery, *, at: dt.datetime, answer: str, provider_id: str) -> None:
    """A message sent: its attempt and the row marked sent in one statement, so one
    round trip and one commit (the worker records each message as soon as the
    provider accepts it, so that a crash re-sends at most the one in flight)."""
    attempt, row = DeliveryAttempt._meta, Delivery._meta
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH attempt AS (INSERT INTO {quote(attempt.db_table)}"  # noqa: S608 - names from the models
            " (delivery_id, at, ok, answer) VALUES (%s, %s, true, %s))"
            f" UPDATE {quote(row.db_table)} SET status = %s, sent_at = %s, provider_id = %s,"
            " last_error = '', sending_since = NULL WHERE id = %s",
            [delivery.pk, at, answer[:2000], DeliveryStatus.SENT, at, provider_id, delivery.pk],
        )


def email_message(delivery: Delivery, *, connection: BaseEmailBackend) -> EmailMultiAlternatives:
    """The e-mail of an outbox row: plain text and HTML from the same templates, its
    idempotency key as the Message-ID."""
    link = settings.SADOK_BASE_URL.rstrip("/") + delivery.link if delivery.link else ""
    context = {"subject": delivery.subject, "body": delivery.body, "link": link}
    with translation.override(delivery.language):
        text = render_to_string("notifications/email/message.txt", context)
        html = render_to_string("notifications/email/message.html", context)
    email = EmailMultiAlternatives(
        subject=delivery.subject,
        body=text,
        to=[delivery.address],
        headers={"Message-ID": message_id(delivery)},
        connection=connection,
    )
    email.attach_alternative(html, "text/html")
    return email


def delivery_retry(*, delivery: Delivery) -> None:
    """The administrator sends a failed message again, from a fresh count."""
    Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.FAILED).update(
        status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=clock.now()
    )
