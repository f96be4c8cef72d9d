from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from sadok.offers.tasks import background_chains_start


class Command(BaseCommand):
    help = (
        "Start the periodic background work on the worker: the deadline sweep, the "
        "outbox scan and the daily audit of the queue records (each only if not already "
        "queued)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        for name, started in background_chains_start():
            self.stdout.write(f"{name}: {'scheduled' if started else 'already queued'}.")
