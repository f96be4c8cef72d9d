"""Import of the old system's queue (`manage.py import_legacy_queue FILE.csv`).

Columns: qid, certificate, born (YYYY-MM-DD or DD.MM.YYYY), registered_on,
kindergartens (numbers separated by ";", best first). All or nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from typing import IO

from django.db import transaction

from sadok.applications.certificates import CertificateError, parse_ukrainian
from sadok.applications.models import LegacyRecord

COLUMNS = ("qid", "certificate", "born", "registered_on", "kindergartens")


@dataclass
class LegacyImport:
    created: int = 0
    errors: list[str] = field(default_factory=list)


def _date(value: str) -> dt.date:
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(value.strip(), pattern).date()  # noqa: DTZ007
        except ValueError:
            continue
    raise ValueError(f"«{value}» is not a date (YYYY-MM-DD or DD.MM.YYYY)")


def legacy_queue_import(*, rows: IO[str]) -> LegacyImport:
    reader = csv.DictReader(rows)
    report = LegacyImport()
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        report.errors.append(f"line 1: missing columns {', '.join(missing)}")
        return report
    records, seen = [], set(LegacyRecord.objects.values_list("qid", flat=True))
    for line, row in enumerate(reader, start=2):
        problems = []
        qid = (row["qid"] or "").strip()
        if not qid or qid in seen:
            problems.append(f"qid: {'empty' if not qid else 'repeated'}")
        try:
            certificate = parse_ukrainian(row["certificate"] or "")
        except CertificateError:
            problems.append("certificate: not a Ukrainian birth certificate")
        try:
            born, registered = _date(row["born"] or ""), _date(row["registered_on"] or "")
        except ValueError as error:
            problems.append(f"date: {error}")
        numbers = [n.strip() for n in (row["kindergartens"] or "").split(";") if n.strip()]
        if not all(n.isdigit() for n in numbers):
            problems.append("kindergartens: numbers separated by ';'")
        if problems:
            report.errors.append(f"line {line}: {'; '.join(problems)}")
            continue
        seen.add(qid)
        records.append(
            LegacyRecord(
                qid=qid,
                certificate_key=certificate.key,
                born=born,
                registered_on=registered,
                kindergarten_numbers=[int(n) for n in numbers],
            )
        )
    if not report.errors:
        with transaction.atomic():
            LegacyRecord.objects.bulk_create(records)
        report.created = len(records)
    return report
