"""The public log's appender on the worker: a chain that runs every
SADOK_LOG_APPEND_SECONDS and schedules its next run."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django_tasks import task

from sadok import clock
from sadok.journal.log import log_append


@task()
def log_append_chain() -> None:
    try:
        while log_append() > 0:  # a wave's events: as many runs as it takes
            pass
    finally:
        log_append_chain.using(
            run_after=clock.now() + dt.timedelta(seconds=settings.SADOK_LOG_APPEND_SECONDS)
        ).enqueue()
