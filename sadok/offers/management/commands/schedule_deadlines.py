from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from sadok.offers.tasks import deadlines_sweep_schedule


class Command(BaseCommand):
    help = "Start the periodic deadline sweep on the background worker (if not already queued)."

    def handle(self, *args: Any, **options: Any) -> None:
        started = deadlines_sweep_schedule()
        self.stdout.write(
            "Deadline sweep scheduled." if started else "Deadline sweep already queued."
        )
