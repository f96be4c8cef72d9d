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


@task()
def places_settle(*, children: list[int]) -> None:
    """A parent's change found the allocation lock taken (a wave running): the open
    places its children now fit are offered as soon as the lock is free."""
    from sadok.offers.settle import open_places_offer_later

    open_places_offer_later(children=children)


@task()
def places_daily() -> None:
    """Shortly after midnight in Kyiv, every open place once more: birthdays move
    children into groups' age bands, and a wave's date may have come."""
    try:
        daily_run()
    finally:
        places_daily.using(run_after=next_night_run(clock.now())).enqueue()


def daily_run() -> None:
    """What happens each night: lapsed privileges stop counting, then every open place
    is offered once more, and since when groups have had undeclared room is noted."""
    from sadok.offers.district import claims_expire
    from sadok.offers.room import undeclared_room_mark
    from sadok.offers.settle import places_offer_daily

    expired = claims_expire()
    run = places_offer_daily()
    noted, cleared = undeclared_room_mark(today=clock.today())
    logger.info(
        "daily run: %d privileges expired; %s; undeclared room: %d groups noted, %d cleared",
        expired,
        run.summary if run else "no open place",
        noted,
        cleared,
    )


def next_night_run(now: dt.datetime) -> dt.datetime:
    """The next `SADOK_DAILY_RUN_AT` (Kyiv time) after `now`."""
    hour, minute = (int(part) for part in settings.SADOK_DAILY_RUN_AT.split(":"))
    local = now.astimezone(clock.KYIV)
    run = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if run <= local:
        run = (local + dt.timedelta(days=1)).replace(
            hour=hour, minute=minute, second=0, microsecond=0
        )
    return run


def background_chains_start() -> list[tuple[str, bool]]:
    """Start each periodic chain unless one of its runs is already waiting."""
    from django_tasks_db.models import DBTaskResult

    from sadok.journal.tasks import log_append_chain
    from sadok.notifications.tasks import deliveries_scan
    from sadok.queue.tasks import queue_records_audit_daily

    started = []
    chains = (deadlines_sweep, deliveries_scan, queue_records_audit_daily, places_daily)
    for chain in (*chains, log_append_chain):
        path = chain.module_path
        waiting = DBTaskResult.objects.filter(status="READY", task_path=path).exists()
        if not waiting:
            chain.enqueue()
        started.append((chain.name, not waiting))
    return started
