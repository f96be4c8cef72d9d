import datetime as dt

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.conf import settings as django_settings
from django.db import IntegrityError, transaction

from sadok.notifications.delivery import deliveries_process
from sadok.notifications.models import Delivery, DeliveryStatus, Message
from sadok.offers.events import OfferEvent, offer_events_record
from sadok.offers.models import Offer
from sadok.offers.services import places_declare
from tests.notifications.conftest import Inbox
from tests.offers.conftest import NOW

pytestmark = pytest.mark.django_db


def _offer_made(group, queue_of, count=1):
    with time_machine.travel(NOW, tick=False):
        children = queue_of(group.kindergarten, count=count)
        places_declare(group=group, count=count, user=None)
    return children


def test_an_offer_arrives_by_real_smtp_in_ukrainian_with_the_date_and_the_link(
    smtp, nursery, queue_of, settings
):
    settings.SADOK_BASE_URL = "https://sadok.kyiv.ua"
    (child,) = _offer_made(nursery, queue_of)
    report = deliveries_process()

    assert len(report.sent) == 2  # e-mail and SMS
    (letter,) = smtp.messages
    (subject,) = smtp.subjects()
    assert (
        subject == f"Місце для дитини: садочок № {nursery.kindergarten.number} "
        f"«{nursery.kindergarten.name}», група «{nursery.name}»"
    )
    text = letter.get_body(("plain",)).get_content()
    assert "Прийміть або відхиліть пропозицію в кабінеті до 07.12.2026 23:59" in text
    assert f"https://sadok.kyiv.ua/cabinet/children/{child.pk}/" in text
    html = letter.get_body(("html",)).get_content()
    assert "Відкрити кабінет" in html
    delivery = Delivery.objects.get(channel="email")
    assert (
        letter["Message-ID"]
        == f"<offer_made.{Offer.objects.get().pk}.{delivery.user_id}.email@sadok.kyiv.ua>"
    )
    assert delivery.status == DeliveryStatus.SENT
    assert [a.ok for a in delivery.log.all()] == [True]


def test_a_batch_goes_over_one_smtp_connection_and_a_refusal_opens_a_fresh_one(
    smtp, nursery, queue_of
):
    _offer_made(nursery, queue_of, count=4)
    emails = Delivery.objects.filter(channel="email").order_by("pk")
    second = emails[1]
    smtp.refuse.add(second.address)

    report = deliveries_process()

    assert second.pk in report.retrying
    assert len(smtp.messages) == 3
    # The first on one connection; after the refusal, the other two on a new one.
    first, *rest = smtp.peers
    assert len(set(rest)) == 1
    assert first not in rest
    sent = set(emails.filter(status=DeliveryStatus.SENT).values_list("pk", flat=True))
    assert sent == {e.pk for e in emails} - {second.pk}


def test_smtp_down_at_first_then_up_delivers_every_message_once(
    nursery, queue_of, settings, smtp_port
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_port
    _offer_made(nursery, queue_of, count=3)

    # Nobody listens on the port: every e-mail fails and waits to be retried.
    with time_machine.travel(NOW + dt.timedelta(minutes=1), tick=False):
        first = deliveries_process()
    assert len(first.retrying) == 3
    email = Delivery.objects.filter(channel="email")
    assert set(email.values_list("status", flat=True)) == {DeliveryStatus.PENDING}
    assert all("Connection refused" in d.last_error or "Errno" in d.last_error for d in email)

    # Still down on the second try, after the first backoff.
    with time_machine.travel(NOW + dt.timedelta(minutes=3), tick=False):
        assert len(deliveries_process().retrying) == 3

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        # Before the next backoff ends nothing is tried; after it, all go, once.
        with time_machine.travel(NOW + dt.timedelta(minutes=3, seconds=30), tick=False):
            assert deliveries_process().sent == []
        with time_machine.travel(NOW + dt.timedelta(minutes=10), tick=False):
            assert len(deliveries_process().sent) == 3
        with time_machine.travel(NOW + dt.timedelta(hours=5), tick=False):
            assert deliveries_process().sent == []
    finally:
        controller.stop()
    assert len(inbox.messages) == 3
    assert len(set(inbox.message_ids())) == 3
    assert [d.attempts for d in email.order_by("pk")] == [3, 3, 3]


def test_after_the_last_attempt_a_message_is_failed_and_the_administrator_can_retry(
    nursery, queue_of, settings, smtp_port
):
    from sadok.notifications.delivery import delivery_retry

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_port
    settings.SADOK_DELIVERY_MAX_ATTEMPTS = 2
    _offer_made(nursery, queue_of)
    for minutes in (1, 10):
        with time_machine.travel(NOW + dt.timedelta(minutes=minutes), tick=False):
            deliveries_process()
    failed = Delivery.objects.get(channel="email")
    assert failed.status == DeliveryStatus.FAILED
    assert failed.last_error
    delivery_retry(delivery=failed)
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (DeliveryStatus.PENDING, 0)


@pytest.mark.usefixtures("bulk_paths")
def test_the_same_event_processed_twice_is_one_notification(nursery, queue_of):
    _offer_made(nursery, queue_of)
    offer = Offer.objects.get()
    offer_events_record(offers=[offer.pk], event=OfferEvent.OFFERED)
    offer_events_record(offers=[offer.pk], event=OfferEvent.OFFERED)
    assert Message.objects.count() == 1
    assert sorted(Delivery.objects.values_list("channel", flat=True)) == ["email", "sms"]


def test_an_offer_told_as_new_twice_fails_loudly_instead_of_telling_twice(nursery, queue_of):
    """The engine tells new offers without the duplicate check (`new_offers`): were
    an offer ever told twice that way, the transaction fails rather than the
    family getting the message twice."""
    _offer_made(nursery, queue_of)
    offer = Offer.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        offer_events_record(offers=[offer.pk], event=OfferEvent.OFFERED, new_offers=True)
    assert Message.objects.count() == 1


def test_no_sms_when_the_family_switched_it_off(nursery, queue_of):
    with time_machine.travel(NOW, tick=False):
        first, second = queue_of(nursery.kindergarten, count=2)
    first.guardians.update(sms_enabled=False)
    with time_machine.travel(NOW, tick=False):
        places_declare(group=nursery, count=2, user=None)
    channels = Delivery.objects.order_by("user__guardianships__child__registered_at", "channel")
    assert [(d.user.guardianships.get().child_id, d.channel) for d in channels] == [
        (first.pk, "email"),
        (second.pk, "email"),
        (second.pk, "sms"),
    ]
    assert Message.objects.count() == 2
    assert django_settings.SADOK_DELIVER_ON_COMMIT is False
