from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sadok.applications.legacy import LegacyFileError, legacy_queue_import, legacy_text


class Command(BaseCommand):
    help = (
        "Import the old system's queue records from CSV in UTF-8 "
        "(qid, certificate, born, registered_on, kindergartens). All or nothing, "
        "unless --skip-invalid."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="write the valid rows and report the others (default: write nothing)",
        )

    def handle(self, *args: Any, file: Path, skip_invalid: bool, **options: Any) -> None:
        try:
            text = legacy_text(file.read_bytes())
            report = legacy_queue_import(text=text, skip_invalid=skip_invalid)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from error
        except LegacyFileError as error:
            raise CommandError(f"{file}: {error}") from error
        for line in report.errors:
            self.stderr.write(line)
        if report.errors and not skip_invalid:
            raise CommandError(f"{len(report.errors)} invalid row(s): nothing was written.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {report.created} legacy records"
                + (f"; skipped {len(report.errors)} invalid row(s)." if report.errors else ".")
            )
        )
