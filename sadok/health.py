"""What an operator's monitoring reads: is Sadok up, and is its background work
keeping up? (`docs/operations.md`)

`/health/live` answers 200 while this process can reach its database: a load
balancer's check, which takes a web server out when it cannot serve. `/health/`
adds the figures of the background work — how late the worker is with tasks due,
the e-mail and SMS outbox waiting and failed, the events the public log has not
published yet — and answers 503 with the reasons when one passes its setting's
limit, for the alerting. Counts and ages in seconds only: nothing of any person.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Min
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from sadok import clock
from sadok.accounts.access import Access, access
from sadok.journal.models import Event, LogCursor
from sadok.notifications.models import Delivery, DeliveryStatus


@dataclass
class Health:
    """The figures `/health/` serves (ages in whole seconds, 0 when nothing waits)."""

    database: bool = True
    worker_lag_seconds: int = 0  # the oldest task due and not started
    worker_last_finished_seconds: int | None = None  # since the last task ended
    outbox_waiting: int = 0
    outbox_oldest_seconds: int = 0
    outbox_failed_last_day: int = 0
    log_unpublished: int = 0
    log_oldest_unpublished_seconds: int = 0
    problems: list[str] = field(default_factory=list)


def _age(then: dt.datetime | None, now: dt.datetime) -> int:
    return max(0, int((now - then).total_seconds())) if then is not None else 0


def health_figures() -> Health:
    """Read every figure; a database that cannot be read is the one problem."""
    now, health = clock.now(), Health()
    try:
        due = DBTaskResult.objects.filter(
            status=TaskResultStatus.READY, run_after__lte=now
        ).aggregate(oldest=Min("run_after"))["oldest"]
        health.worker_lag_seconds = _age(due, now)
        last = (
            DBTaskResult.objects.filter(finished_at__isnull=False)
            .order_by("-finished_at")
            .values_list("finished_at", flat=True)
            .first()
        )
        health.worker_last_finished_seconds = _age(last, now) if last else None
        waiting = Delivery.objects.filter(
            status__in=(DeliveryStatus.PENDING, DeliveryStatus.SENDING)
        )
        health.outbox_waiting = waiting.count()
        health.outbox_oldest_seconds = _age(
            waiting.aggregate(oldest=Min("created_at"))["oldest"], now
        )
        health.outbox_failed_last_day = Delivery.objects.filter(
            status=DeliveryStatus.FAILED, created_at__gte=now - dt.timedelta(days=1)
        ).count()
        published = LogCursor.objects.values_list("event_id", flat=True).first() or 0
        unpublished = Event.objects.filter(pk__gt=published)
        health.log_unpublished = unpublished.count()
        health.log_oldest_unpublished_seconds = _age(
            unpublished.aggregate(oldest=Min("at"))["oldest"], now
        )
    except DatabaseError:
        health.database = False
        health.problems.append("database: cannot be read")
        return health
    limits = (
        ("worker", health.worker_lag_seconds, settings.SADOK_HEALTH_WORKER_LAG_SECONDS),
        ("outbox", health.outbox_oldest_seconds, settings.SADOK_HEALTH_OUTBOX_SECONDS),
        ("public log", health.log_oldest_unpublished_seconds, settings.SADOK_HEALTH_LOG_SECONDS),
    )
    for name, seconds, limit in limits:
        if seconds > limit:
            health.problems.append(f"{name}: {seconds} s behind (limit {limit} s)")
    return health


@never_cache
@access(Access.PUBLIC)
def health(request: HttpRequest) -> JsonResponse:
    figures = health_figures()
    body = {"status": "ok" if not figures.problems else "failing", **asdict(figures)}
    return JsonResponse(body, status=200 if not figures.problems else 503)


@never_cache
@access(Access.PUBLIC)
def health_live(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return JsonResponse({"status": "failing", "database": False}, status=503)
    return JsonResponse({"status": "ok", "database": True})
