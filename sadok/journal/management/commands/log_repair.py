from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sadok.journal.log import log_append, log_head, log_repair


class Command(BaseCommand):
    help = (
        "Republish the public log from entry FROM on (after a fault in what was "
        "published): the entries are taken out and their events published again, "
        "followed by a log_repaired entry naming the head it replaced. Anyone who saved "
        "a later head will see the rewrite; say why with --note (kept in the server's log)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("from_seq", type=int, metavar="FROM")
        parser.add_argument("--note", required=True, help="why, and who decided")

    def handle(self, *args: Any, from_seq: int, note: str, **options: Any) -> None:
        try:
            old = log_repair(from_seq=from_seq, note=note)
        except ValueError as error:
            raise CommandError(str(error)) from error
        while log_append() > 0:
            pass
        self.stdout.write(f"repaired from entry {from_seq}: head was {old}, now {log_head()}")
