from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sadok.offers.services import wave_run


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--date {value!r}: give the intake date as YYYY-MM-DD") from error


class Command(BaseCommand):
    help = (
        "Run the September wave: offer every place the heads declared for DATE at once, "
        "children in the public order, each to its best-ranked group with a place left."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", required=True, type=_date, help="the intake date, YYYY-MM-DD")
        parser.add_argument(
            "--dry-run", action="store_true", help="compute and report, write nothing"
        )

    def handle(self, *args: Any, date: dt.date, dry_run: bool, **options: Any) -> None:
        result, run, places = wave_run(on=date, dry_run=dry_run)
        reasons = Counter(str(d.reason) for d in result.decisions if d.applicant is None)
        self.stdout.write(
            f"Wave for {date.isoformat()}{' (dry run: nothing written)' if dry_run else ''}: "
            f"{places} places, {len(result.offers)} offers, {len(result.unfilled)} unfilled."
        )
        for reason, count in sorted(reasons.items()):
            self.stdout.write(f"  unfilled, {reason}: {count}")
        if run is not None:
            self.stdout.write(f"Run #{run.pk} recorded.")
