"""`/health/` and `/health/live`: what an operator's monitoring reads (counts and ages,
nothing of anyone), and the 503 that alerts when background work falls behind."""

import datetime as dt

import pytest
import time_machine
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from sadok.journal.models import EventKind
from sadok.journal.services import SYSTEM, Fact, events_append
from sadok.notifications.models import Channel, Delivery, DeliveryStatus
from tests.factories_accounts import person
from tests.journal.log_events import log_starts_now

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _now():
    log_starts_now()
    with time_machine.travel(NOW, tick=False):
        yield


def test_all_well_is_200_with_the_figures(client):
    answer = client.get("/health/")
    assert answer.status_code == 200
    body = answer.json()
    assert body["status"] == "ok"
    assert body["database"] is True
    assert body["worker_lag_seconds"] == body["outbox_waiting"] == body["log_unpublished"] == 0
    assert "no-cache" in answer["Cache-Control"]
    assert client.get("/health/live").json() == {"status": "ok", "database": True}


def test_a_late_worker_fails_the_check(client, settings):
    DBTaskResult.objects.create(
        status=TaskResultStatus.READY,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="sadok.offers.tasks.deadlines_sweep",
        backend_name="default",
        queue_name="default",
        run_after=NOW - dt.timedelta(seconds=settings.SADOK_HEALTH_WORKER_LAG_SECONDS + 60),
    )
    answer = client.get("/health/")
    assert answer.status_code == 503
    assert answer.json()["worker_lag_seconds"] == settings.SADOK_HEALTH_WORKER_LAG_SECONDS + 60
    assert answer.json()["problems"][0].startswith("worker: ")
    assert client.get("/health/live").status_code == 200  # the web server itself serves


def _delivery(user, channel, address, status, *, hours):
    Delivery.objects.create(
        user=user,
        channel=channel,
        address=address,
        subject="Місце для Марка",
        body="…",
        idempotency_key=f"{channel}-{hours}",
        status=status,
        next_attempt_at=NOW,
        created_at=NOW - dt.timedelta(hours=hours),
    )


def test_a_waiting_outbox_and_an_unpublished_log_fail_it_without_naming_anyone(client):
    user = person("olena.shevchenko@example.com", mfa=False)
    _delivery(user, Channel.EMAIL, user.email, DeliveryStatus.PENDING, hours=2)
    _delivery(user, Channel.SMS, "+380501234567", DeliveryStatus.FAILED, hours=3)
    with time_machine.travel(NOW - dt.timedelta(hours=1), tick=False):
        events_append(facts=[Fact(kind=EventKind.GROUP_CREATED, data={})], actor=SYSTEM)
    answer = client.get("/health/")
    body = answer.json()
    assert answer.status_code == 503
    assert (body["outbox_waiting"], body["outbox_oldest_seconds"]) == (1, 7200)
    assert body["outbox_failed_last_day"] == 1
    assert (body["log_unpublished"], body["log_oldest_unpublished_seconds"]) == (1, 3600)
    assert [p.split(":")[0] for p in body["problems"]] == ["outbox", "public log"]
    text = answer.content.decode()
    for private in ("olena", "380501234567", "Марка"):
        assert private not in text
