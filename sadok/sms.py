"""SMS through one small interface with swappable backends.

`SADOK_SMS_BACKEND` names the class: the console backend logs (development, the
embedded demo), the in-memory one keeps `outbox` for tests, and `TurboSms` talks
to TurboSMS, the common Ukrainian gateway (token and sender from the
environment). `send` returns the provider's message id, raises
`PermanentSmsError` for what a retry cannot fix, and any other exception for
what it may (the outbox retries those with backoff).

A transport with no domain knowledge, below the apps: accounts sends phone
verification codes through it and notifications the outbox, so it imports
neither.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

import requests
from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Sms:
    phone: str
    text: str


class PermanentSmsError(Exception):
    """The gateway refused for a reason a retry will not change (a bad number)."""


class TransientSmsError(Exception):
    """The gateway is busy, limiting us or unreachable: try again later."""


class SmsBackend(Protocol):
    def send(self, sms: Sms, *, key: str) -> str: ...


class ConsoleSmsBackend:
    def send(self, sms: Sms, *, key: str) -> str:
        logger.info("SMS to %s [%s]: %s", sms.phone, key, sms.text)
        return f"console:{key}"


class LocmemSmsBackend:
    outbox: ClassVar[list[Sms]] = []
    keys: ClassVar[list[str]] = []

    def send(self, sms: Sms, *, key: str) -> str:
        self.outbox.append(sms)
        self.keys.append(key)
        return f"locmem:{len(self.outbox)}"


# TurboSMS answers every valid request with HTTP 200 and a JSON body
# {"response_code", "response_status", "response_result"}; the codes below are the
# ones its HTTP API documentation lists for sending.
_TURBOSMS_OK = {0, 800, 801, 802, 803}
_TURBOSMS_AUTH = {
    "REQUIRED_TOKEN",
    "REQUIRED_AUTH",
    "INVALID_TOKEN",
    "USER_NOT_FOUND",
    "REQUIRED_ACTIVE_USER",
}
_TURBOSMS_RECIPIENT = {"INVALID_PHONE", "REQUIRED_PHONE", "INVALID_RECIPIENT"}


class TurboSms:
    """https://api.turbosms.ua/message/send.json, Bearer token, one recipient.

    The idempotency key goes as `sequence_id`: the gateway runs a request with a
    sequence id it has seen only once, so a re-send after a crash is not a
    second SMS. One instance keeps its HTTP connection open for the next message
    (the outbox sends a batch through one).
    """

    def __init__(self) -> None:
        self.url = settings.SADOK_TURBOSMS_URL.rstrip("/") + "/message/send.json"
        self.token = settings.SADOK_TURBOSMS_TOKEN
        self.sender = settings.SADOK_TURBOSMS_SENDER
        self.session = requests.Session()

    def send(self, sms: Sms, *, key: str) -> str:
        payload: dict[str, Any] = {
            "recipients": [sms.phone.lstrip("+")],
            "sms": {"sender": self.sender, "text": sms.text},
            "sequence_id": key[:64],
        }
        try:
            response = self.session.post(
                self.url,
                json=payload,
                headers={"Authorization": f"Bearer {self.token}"},
                timeout=settings.SADOK_SMS_TIMEOUT_SECONDS,
            )
        except requests.Timeout as error:
            raise TransientSmsError("TurboSMS did not answer in time") from error
        except requests.RequestException as error:
            raise TransientSmsError(f"TurboSMS unreachable: {error}") from error
        if response.status_code == 429 or response.status_code >= 500:
            raise TransientSmsError(f"TurboSMS HTTP {response.status_code}")
        return self._accepted(response.json())

    def _accepted(self, answer: dict[str, Any]) -> str:
        code, status = answer.get("response_code"), str(answer.get("response_status", ""))
        if code not in _TURBOSMS_OK:
            if status in _TURBOSMS_AUTH:
                # A configuration problem: retried with backoff while someone fixes it,
                # then failed and shown to the administrator.
                raise TransientSmsError(f"TurboSMS refused the token: {code} {status}")
            if status in _TURBOSMS_RECIPIENT:
                raise PermanentSmsError(f"TurboSMS refused the number: {code} {status}")
            raise TransientSmsError(f"TurboSMS: {code} {status}")
        results = answer.get("response_result") or []
        first = results[0] if results else {}
        if first and first.get("response_code") not in _TURBOSMS_OK:
            raise PermanentSmsError(
                f"TurboSMS refused the message: {first.get('response_code')} "
                f"{first.get('response_status')}"
            )
        return str(first.get("message_id", status))


def sms_backend() -> SmsBackend:
    backend: SmsBackend = import_string(settings.SADOK_SMS_BACKEND)()
    return backend


def sms_send(*, phone: str, text: str, key: str = "") -> str:
    """Send at once (verification codes: the person is waiting for them)."""
    return sms_backend().send(Sms(phone=phone, text=text), key=key)
