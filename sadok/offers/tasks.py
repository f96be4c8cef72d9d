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


def deadlines_sweep_schedule() -> bool:
    """Start the chain unless a sweep is already waiting; True if one was enqueued."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        status="READY", task_path=f"{__name__}.deadlines_sweep"
    ).exists()
    if not waiting:
        deadlines_sweep.enqueue()
    return not waiting
