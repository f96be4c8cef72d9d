from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sadok.kindergartens.importing import kindergartens_import


class Command(BaseCommand):
    help = (
        "Import kindergartens from a CSV file (UTF-8, columns in docs/import-kindergartens.md). "
        "Nothing is written unless every row is valid, or --skip-invalid is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--skip-invalid", action="store_true", help="write the valid rows, report the others"
        )

    def handle(self, *args: Any, file: Path, skip_invalid: bool, **options: Any) -> None:
        try:
            handle = file.open(encoding="utf-8-sig", newline="")
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from error
        with handle:
            try:
                report = kindergartens_import(rows=handle, skip_invalid=skip_invalid)
            except UnicodeDecodeError as error:
                raise CommandError(f"{file} is not UTF-8 text: save it as CSV UTF-8.") from error
        for row_error in report.errors:
            self.stderr.write(str(row_error))
        if not report.written:
            raise CommandError(
                f"{len(report.errors)} invalid row(s): nothing was written. Fix them, "
                "or run again with --skip-invalid to import only the valid rows."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported: {report.created} created, {report.updated} updated, "
                f"{len(report.errors)} skipped."
            )
        )
