"""The cabinet inbox: every event that concerns a family leaves a message here,
written in the same transaction as the event."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Message(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name=_("людина"),
    )
    kind = models.CharField(_("вид"), max_length=40)
    subject = models.CharField(_("тема"), max_length=200)
    body = models.TextField(_("текст"))
    link = models.CharField(_("посилання"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("надіслано"))
    read_at = models.DateTimeField(_("прочитано"), null=True, blank=True)
    # The event's key: the same event processed twice leaves one message.
    event_key = models.CharField(max_length=120)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("повідомлення")
        verbose_name_plural = _("повідомлення")
        constraints = [
            models.UniqueConstraint(fields=["user", "event_key"], name="message_once_per_event")
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="message_unread")]

    def __str__(self) -> str:
        return f"message {self.pk} ({self.kind})"


class Channel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    SMS = "sms", _("SMS")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("чекає на надсилання")
    SENDING = "sending", _("надсилається")
    SENT = "sent", _("надіслано")
    FAILED = "failed", _("не вдалося")


class Delivery(models.Model):
    """One message to send by e-mail or SMS: the transactional outbox.

    Written in the same transaction as the event, so nothing is sent for an event
    that rolled back and nothing is lost for one that committed. The worker sends
    it; the idempotency key travels with it (Message-ID, TurboSMS sequence id) so a
    re-send after a crash is recognisable as the same message.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("людина"),
    )
    channel = models.CharField(_("канал"), max_length=8, choices=Channel.choices)
    address = models.CharField(_("адреса"), max_length=254)
    subject = models.CharField(_("тема"), max_length=200)
    body = models.TextField(_("текст"))
    link = models.CharField(_("посилання"), max_length=200, blank=True)
    language = models.CharField(_("мова"), max_length=8, default="uk")
    idempotency_key = models.CharField(_("ключ ідемпотентності"), max_length=160, unique=True)
    status = models.CharField(
        _("стан"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("спроби"), default=0)
    next_attempt_at = models.DateTimeField(_("наступна спроба"))
    sending_since = models.DateTimeField(_("надсилається з"), null=True, blank=True)
    sent_at = models.DateTimeField(_("надіслано"), null=True, blank=True)
    provider_id = models.CharField(_("номер у провайдера"), max_length=120, blank=True)
    last_error = models.TextField(_("остання помилка"), blank=True)
    created_at = models.DateTimeField(_("створено"))

    class Meta:
        verbose_name = _("надсилання")
        verbose_name_plural = _("надсилання")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="delivery_due"),
        ]

    def __str__(self) -> str:
        return f"delivery {self.pk} ({self.channel}, {self.status})"


class DeliveryAttempt(models.Model):
    """Every try, with the provider's answer: the delivery log."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="log")
    at = models.DateTimeField()
    ok = models.BooleanField()
    answer = models.TextField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"attempt {self.pk} of delivery {self.delivery_id}"
