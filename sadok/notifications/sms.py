"""Sending SMS through one small interface with swappable backends.

`SADOK_SMS_BACKEND` names the backend class. The console backend writes the
message to the log (development, the embedded demo); the in-memory backend
keeps messages in `outbox` for tests. The TurboSMS gateway arrives with the
notifications issue.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import ClassVar, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Sms:
    phone: str
    text: str


class SmsBackend(Protocol):
    def send(self, sms: Sms) -> None: ...


class ConsoleSmsBackend:
    def send(self, sms: Sms) -> None:
        logger.info("SMS to %s: %s", sms.phone, sms.text)


class LocmemSmsBackend:
    outbox: ClassVar[list[Sms]] = []

    def send(self, sms: Sms) -> None:
        self.outbox.append(sms)


def sms_send(*, phone: str, text: str) -> None:
    backend: SmsBackend = import_string(settings.SADOK_SMS_BACKEND)()
    backend.send(Sms(phone=phone, text=text))
