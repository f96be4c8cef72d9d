"""(j) Delivering the wave's outbox: about 47,000 e-mails and SMS (an offer's message
to each of the wave's 23,500 families, by e-mail and by SMS) sent by 1, 2 and 4
workers (`sadok.notifications.delivery.deliveries_process`, each in a process of
its own, as `manage.py db_worker` runs it) to a local SMTP server (aiosmtpd) and a
local SMS gateway speaking TurboSMS's API, both on 127.0.0.1 in this process.

The baseline, in the same run: a bare loop in a process of its own sending the same
messages (rendered by the same templates) over one SMTP connection and one HTTP
session, with no outbox (no database, no leases, no attempts recorded). Each run
starts from the same pending outbox; after each, the servers must have received
every message exactly once.

Usage: .venv/bin/python benchmarks/delivery.py [--messages N] (default 47,000;
a scratch database `sadok_bench_delivery`, dropped and created anew).
It prints ratios against the baseline; it is not a test.
"""

from __future__ import annotations

import collections
import datetime as dt
import json
import logging
import os
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

DB = "sadok_bench_delivery"
os.environ["SADOK_DEBUG"] = "0"
os.environ.setdefault("SADOK_SECRET_KEY", "benchmark-only-key-never-used-to-serve")
os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{DB}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["SADOK_EMAIL_BACKEND"] = "django.core.mail.backends.smtp.EmailBackend"
os.environ["SADOK_SMS_BACKEND"] = "sadok.sms.TurboSms"
os.environ["SADOK_TURBOSMS_TOKEN"] = "bench"  # noqa: S105 - the local gateway's

from allocation_core import line  # noqa: E402

WORKERS = (1, 2, 4)
SUBJECT = "Місце для дитини в садочку № {n}"
BODY = (
    "Для вашої дитини є місце: садочок № {n}, група «2 ясельна». Відповідайте до "
    "12.09.2027 23:59 у кабінеті Sadok: прийміть місце або відмовтеся. Якщо не "
    "відповісти, місце перейде наступній дитині в черзі, а дитина тимчасово вийде з черг."
)
SMS = "Sadok: для дитини є місце в садочку № {n}. Відповідайте до 12.09.2027 у кабінеті."


class Received:
    """What the local servers were sent: each message's key, counted."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.keys: collections.Counter[str] = collections.Counter()

    def add(self, key: str) -> None:
        with self.lock:
            self.keys[key] += 1

    def clear(self) -> None:
        with self.lock:
            self.keys.clear()


RECEIVED = Received()


class SmtpHandler:
    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        for header in envelope.content.split(b"\r\n\r\n", 1)[0].split(b"\r\n"):
            if header.lower().startswith(b"message-id:"):
                RECEIVED.add(header.split(b":", 1)[1].strip().decode())
        return "250 OK"


class GatewayHandler(BaseHTTPRequestHandler):
    """TurboSMS's /message/send.json: accepts, answers with a message id."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # else each answer waits for a delayed ACK

    def do_POST(self) -> None:
        sent = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        RECEIVED.add(sent["sequence_id"])
        body = json.dumps(
            {
                "response_code": 0,
                "response_status": "OK",
                "response_result": [{"response_code": 0, "message_id": f"m-{sent['sequence_id']}"}],
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def servers() -> tuple[int, str]:
    """Start the SMTP server and the SMS gateway; their port and URL."""
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's every line
    from aiosmtpd.controller import Controller

    gateway = ThreadingHTTPServer(("127.0.0.1", 0), GatewayHandler)
    threading.Thread(target=gateway.serve_forever, daemon=True).start()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    Controller(SmtpHandler(), hostname="127.0.0.1", port=port).start()
    return port, f"http://127.0.0.1:{gateway.server_port}"


def outbox_write(messages: int) -> None:
    """A fresh database with `messages` pending deliveries, half e-mail, half SMS."""
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        c.execute(f"DROP DATABASE IF EXISTS {DB}")
        c.execute(f"CREATE DATABASE {DB}")
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    from sadok.accounts.models import User
    from sadok.notifications.models import Channel, Delivery

    call_command("migrate", verbosity=0)
    now = dt.datetime.now(tz=dt.UTC) - dt.timedelta(minutes=1)  # due at once
    families = messages // 2
    unusable = make_password(None)
    User.objects.bulk_create(
        (User(email=f"family{n}@bench.example", password=unusable) for n in range(families)),
        batch_size=5_000,
    )
    users = list(User.objects.order_by("pk").values_list("pk", flat=True))
    rows = []
    for n, user in enumerate(users):
        number = 100 + n % 600
        for channel, address in (
            (Channel.EMAIL, f"family{n}@bench.example"),
            (Channel.SMS, f"+38050{n:07d}"),
        ):
            rows.append(
                Delivery(
                    user_id=user,
                    channel=channel,
                    address=address,
                    subject=SUBJECT.format(n=number),
                    body=(BODY if channel == Channel.EMAIL else SMS).format(n=number),
                    link=f"/cabinet/children/{n + 1}/",
                    idempotency_key=f"offer_made:{n + 1}:{user}:{channel}",
                    next_attempt_at=now,
                    created_at=now,
                )
            )
    Delivery.objects.bulk_create(rows, batch_size=5_000)


def outbox_reset() -> None:
    from sadok.notifications.models import Delivery, DeliveryAttempt, DeliveryStatus

    DeliveryAttempt.objects.all().delete()
    Delivery.objects.update(
        status=DeliveryStatus.PENDING, attempts=0, sending_since=None, sent_at=None
    )


def _spawn(role: str, smtp_port: int, gateway: str) -> subprocess.Popen[str]:
    env = {**os.environ, "SADOK_EMAIL_PORT": str(smtp_port), "SADOK_TURBOSMS_URL": gateway}
    env["SADOK_EMAIL_HOST"] = "127.0.0.1"
    return subprocess.Popen(  # noqa: S603
        [sys.executable, __file__, role],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def _pipe(pipe: IO[str] | None) -> IO[str]:
    if pipe is None:
        raise RuntimeError("a process of the benchmark has no pipe")
    return pipe


def _timed(processes: list[subprocess.Popen[str]]) -> float:
    """Wait until each process is set up, let them all go, and time them to the end."""
    for process in processes:
        _pipe(process.stdout).readline()
    t0 = time.perf_counter()
    for process in processes:
        _pipe(process.stdin).write("go\n")
        _pipe(process.stdin).flush()
    for process in processes:
        process.communicate()
        if process.returncode != 0:
            raise RuntimeError(f"a process of the benchmark failed: {process.returncode}")
    return time.perf_counter() - t0


def _ready() -> None:
    print("ready", flush=True)
    sys.stdin.readline()


def worker() -> None:
    import django

    django.setup()
    from sadok.notifications.delivery import deliveries_process

    _ready()
    deliveries_process()


def bare() -> None:
    """The same messages, rendered the same way, over one SMTP connection and one HTTP
    session: no database after the first read, no bookkeeping."""
    import django

    django.setup()
    import requests
    from django.conf import settings
    from django.core.mail import get_connection

    from sadok.notifications.delivery import email_message
    from sadok.notifications.models import Channel, Delivery

    outbox = list(Delivery.objects.order_by("pk"))
    _ready()
    connection = get_connection()
    connection.open()
    session = requests.Session()
    url = settings.SADOK_TURBOSMS_URL.rstrip("/") + "/message/send.json"
    for delivery in outbox:
        if delivery.channel == Channel.SMS:
            session.post(
                url,
                json={
                    "recipients": [delivery.address.lstrip("+")],
                    "sms": {"sender": "Sadok", "text": delivery.body},
                    "sequence_id": delivery.idempotency_key[:64],
                },
                headers={"Authorization": "Bearer bench"},
                timeout=10,
            ).raise_for_status()
            continue
        email_message(delivery, connection=connection).send()
    connection.close()


def _received_once(expected: int) -> str:
    counts = collections.Counter(RECEIVED.keys.values())
    if sum(RECEIVED.keys.values()) == expected and set(counts) == {1}:
        return f"each of {expected} received once"
    return f"NOT ONCE EACH: {dict(counts)} (times received: messages)"


def main() -> None:
    messages = 47_000
    if "--messages" in sys.argv:
        messages = int(sys.argv[sys.argv.index("--messages") + 1])
    start = time.perf_counter()
    outbox_write(messages)
    from sadok.notifications.models import Delivery, DeliveryStatus

    total = Delivery.objects.count()
    smtp_port, gateway = servers()
    print(f"\n(j) delivering the wave's outbox: {total} messages (half e-mail, half SMS)")

    RECEIVED.clear()
    bare_s = _timed([_spawn("--bare", smtp_port, gateway)])
    line("bare loop, one process:", f"{total / bare_s:8.0f} msg/s  ({_received_once(total)})")
    for count in WORKERS:
        outbox_reset()
        RECEIVED.clear()
        took = _timed([_spawn("--worker", smtp_port, gateway) for _ in range(count)])
        sent = Delivery.objects.filter(status=DeliveryStatus.SENT).count()
        line(
            f"{count} worker{'s' if count > 1 else ''}:",
            f"{total / took:8.0f} msg/s  ratio {total / took / (total / bare_s):.2f}x"
            f"  (goal >= 0.5x; {sent} marked sent, {_received_once(total)})",
        )
    print(f"\ntotal {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    if "--worker" in sys.argv:
        worker()
    elif "--bare" in sys.argv:
        bare()
    else:
        main()
