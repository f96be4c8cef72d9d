"""Background work: the deadline sweep, run by the django-tasks worker every few
minutes. Each run schedules the next one, so one chain keeps going."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django_tasks import task

from sadok import clock
from sadok.offers.lifecycle import deadlines_process

logger = logging.getLogger(__name__)


@task()
def deadlines_sweep() -> None:
    try:
        report = deadlines_process()
        logger.info(
            "deadline sweep: %d reminders, %d expired, %d documents missed",
            len(report.reminded),
            len(report.expired),
            len(report.documents_missed),
        )
    finally:
        deadlines_sweep.using(
            run_after=clock.now() + dt.timedelta(seconds=settings.SADOK_SWEEP_INTERVAL_SECONDS)
        ).enqueue()


def background_chains_start() -> list[tuple[str, bool]]:
    """Start each periodic chain unless one of its runs is already waiting."""
    from django_tasks_db.models import DBTaskResult

    from sadok.notifications.tasks import deliveries_scan
    from sadok.queue.tasks import queue_records_audit_daily

    started = []
    for chain in (deadlines_sweep, deliveries_scan, queue_records_audit_daily):
        path = chain.module_path
        waiting = DBTaskResult.objects.filter(status="READY", task_path=path).exists()
        if not waiting:
            chain.enqueue()
        started.append((chain.name, not waiting))
    return started
