from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sadok.applications.legacy import legacy_queue_import


class Command(BaseCommand):
    help = (
        "Import the old system's queue records from CSV "
        "(qid, certificate, born, registered_on, kindergartens)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        try:
            with file.open(encoding="utf-8-sig", newline="") as handle:
                report = legacy_queue_import(rows=handle)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from error
        for line in report.errors:
            self.stderr.write(line)
        if report.errors:
            raise CommandError(f"{len(report.errors)} invalid row(s): nothing was written.")
        self.stdout.write(self.style.SUCCESS(f"Imported {report.created} legacy records."))
