from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from sadok.queue.records import queue_records_check, queue_records_refresh


class Command(BaseCommand):
    help = (
        "Check the queue records (the engine's one-row view of each child) against their "
        "sources; --rebuild writes them anew (after a restore or a manual database edit)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--rebuild", action="store_true", help="rewrite every record from its sources"
        )

    def handle(self, *args: Any, rebuild: bool, **options: Any) -> None:
        if rebuild:
            with transaction.atomic():
                queue_records_refresh(children=None)
        differ = queue_records_check()
        if differ:
            shown = ", ".join(str(pk) for pk in differ[:20])
            raise CommandError(
                f"{len(differ)} queue records differ from their sources (child ids: {shown}"
                f"{'…' if len(differ) > 20 else ''}); run with --rebuild."
            )
        self.stdout.write(self.style.SUCCESS("Every queue record matches its sources."))
