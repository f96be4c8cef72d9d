"""Background sending: enqueued after each commit that writes the outbox, and a
periodic scan that picks up anything left behind (a crash, a retry that is due)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django_tasks import task

from sadok import clock
from sadok.notifications.delivery import deliveries_process


@task()
def deliveries_send() -> None:
    deliveries_process()


@task()
def deliveries_scan() -> None:
    try:
        deliveries_process()
    finally:
        deliveries_scan.using(
            run_after=clock.now() + dt.timedelta(seconds=settings.SADOK_DELIVERY_SCAN_SECONDS)
        ).enqueue()
