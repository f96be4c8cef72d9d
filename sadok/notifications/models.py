"""The cabinet inbox: every event that concerns a family leaves a message here,
written in the same transaction as the event."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Message(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messages"
    )
    kind = models.CharField(_("вид"), max_length=40)
    subject = models.CharField(_("тема"), max_length=200)
    body = models.TextField(_("текст"))
    link = models.CharField(max_length=200, blank=True)
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
