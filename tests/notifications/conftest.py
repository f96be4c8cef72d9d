import socket
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from sadok.sms import LocmemSmsBackend
from tests.offers.conftest import nursery, queue_of  # noqa: F401  (shared fixtures)


@dataclass
class Inbox:
    """What a real SMTP server on 127.0.0.1 received."""

    messages: list = field(default_factory=list)
    peers: list = field(default_factory=list)  # the client's address of each message
    refuse: set = field(default_factory=set)  # recipients answered "451 try later"
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope):
        if self.refuse & set(envelope.rcpt_tos):
            return "451 Try again later"
        with self.lock:
            self.messages.append(
                message_from_bytes(envelope.original_content, policy=policy.default)
            )
            self.peers.append(session.peer)
        return "250 OK"

    def subjects(self):
        # Header folding of long Cyrillic subjects may leave a leading space.
        return [str(m["Subject"]).strip() for m in self.messages]

    def message_ids(self):
        return [m["Message-ID"] for m in self.messages]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_port():
    return free_port()


@pytest.fixture
def smtp(settings, smtp_port):
    """A real SMTP server; Django's SMTP backend pointed at it."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_port
    settings.EMAIL_USE_TLS = False
    controller.start()
    yield inbox
    controller.stop()


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    LocmemSmsBackend.outbox.clear()
    LocmemSmsBackend.keys.clear()
