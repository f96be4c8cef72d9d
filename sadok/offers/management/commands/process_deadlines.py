from __future__ import annotations

import datetime as dt
from contextlib import nullcontext
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sadok import clock
from sadok.offers.lifecycle import deadlines_process


def _moment(value: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError as error:
        raise CommandError(
            f"--at {value!r}: give an ISO time, e.g. 2026-12-08T00:00+02:00"
        ) from error
    return moment if moment.tzinfo else moment.replace(tzinfo=clock.KYIV)


class Command(BaseCommand):
    help = (
        "Send due reminders, expire offers without an answer and accepted offers without "
        "documents, deactivate those children and offer the places on. Idempotent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--at", type=_moment, help="act as if it were this moment (Kyiv if no offset)"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="report what is due, change nothing"
        )

    def handle(self, *args: Any, at: dt.datetime | None, dry_run: bool, **options: Any) -> None:
        with clock.at(at) if at else nullcontext():
            report = deadlines_process(dry_run=dry_run)
        prefix = "due (dry run)" if dry_run else "done"
        self.stdout.write(
            f"{prefix}: {len(report.reminded)} reminders, {len(report.expired)} offers expired, "
            f"{len(report.documents_missed)} documents missed, {report.reoffered} places re-offered"
        )
