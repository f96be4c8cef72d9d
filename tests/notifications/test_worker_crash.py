"""A worker killed in the middle of a batch loses nothing when restarted; the one
message whose commit it never made is sent again, with the same Message-ID."""

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import time_machine
from django.db import connection

from sadok.notifications.models import Delivery, DeliveryStatus
from sadok.offers.services import places_declare
from tests.offers.conftest import NOW

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]


def _worker(smtp_port, **env):
    settings_dict = connection.settings_dict
    url = (
        f"postgres://{settings_dict['USER']}@{settings_dict['HOST'] or '127.0.0.1'}:"
        f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
    )
    return subprocess.run(
        [sys.executable, "-m", "tests.notifications.worker"],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": url,
            "SMTP_PORT": str(smtp_port),
            **{k: str(v) for k, v in env.items()},
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_killed_worker_loses_nothing(smtp, smtp_port, nursery, queue_of):
    with time_machine.travel(NOW, tick=False):
        queue_of(nursery.kindergarten, count=4)
        places_declare(group=nursery, count=4, user=None)
    Delivery.objects.filter(channel="sms").delete()  # e-mail only: what SMTP can show
    assert Delivery.objects.count() == 4

    crashed = _worker(smtp_port, CRASH_AFTER=2)
    assert crashed.returncode == 3, crashed.stderr
    assert len(smtp.messages) == 2
    statuses = Counter(Delivery.objects.values_list("status", flat=True))
    assert statuses == {DeliveryStatus.SENT: 1, DeliveryStatus.SENDING: 3}

    restarted = _worker(smtp_port, LEASE_SECONDS=0)
    assert restarted.returncode == 0, restarted.stderr
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    ids = Counter(smtp.message_ids())
    expected = {
        f"<{d.idempotency_key.replace(':', '.')}@sadok.kyiv.ua>" for d in Delivery.objects.all()
    }
    assert set(ids) == expected  # every message arrived
    # Only the message accepted just before the crash came twice, as the same message.
    assert sorted(ids.values()) == [1, 1, 1, 2]
