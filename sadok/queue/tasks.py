"""Background work of the queue: the daily audit of the queue records."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django_tasks import task

from sadok import clock
from sadok.queue.records import queue_records_audit


@task()
def queue_records_audit_daily() -> None:
    try:
        queue_records_audit()
    finally:
        queue_records_audit_daily.using(
            run_after=clock.now() + dt.timedelta(seconds=settings.SADOK_QUEUE_AUDIT_SECONDS)
        ).enqueue()
