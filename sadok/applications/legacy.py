"""Import of the old system's queue (`manage.py import_legacy_queue FILE.csv`).

Columns: qid, certificate, born (YYYY-MM-DD or DD.MM.YYYY), registered_on,
kindergartens (numbers separated by ";", best first). The file is UTF-8.

Every row is checked before anything is written: a bad row is reported with its
line number and what is wrong, and then nothing is written — or, with
`skip_invalid`, every good row is. Never a traceback: a file that is not UTF-8, a
NUL byte, an impossible date are all sentences.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field

from django.db import transaction

from sadok import clock
from sadok.applications.certificates import CertificateError, parse_ukrainian
from sadok.applications.models import LegacyRecord

COLUMNS = ("qid", "certificate", "born", "registered_on", "kindergartens")
_QID = re.compile(r"[0-9A-Za-z_\-/.]+")
_NUMBER = re.compile(r"[0-9]{1,6}")
_QID_LENGTH = 32  # LegacyRecord.qid
# The oldest a child in the old queue can be: older children left school age behind.
_OLDEST_YEARS = 10


@dataclass
class LegacyImport:
    created: int = 0
    errors: list[str] = field(default_factory=list)


class LegacyFileError(ValueError):
    """The file as a whole cannot be read (its encoding, its columns)."""


def legacy_text(data: bytes) -> str:
    """The file's text: UTF-8 (with or without a BOM), or a sentence saying how to
    save it so (the old system exported Windows-1251)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise LegacyFileError(
            f"the file is not UTF-8 (byte {error.start + 1} cannot be read; "
            "an export of the old system is often Windows-1251): save it as "
            "CSV UTF-8 and import it again"
        ) from error


def _date(value: str) -> dt.date:
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(value.strip(), pattern).date()  # noqa: DTZ007
        except ValueError:
            continue
    raise ValueError(f"«{value.strip()[:20]}» is not a date (YYYY-MM-DD or DD.MM.YYYY)")


def _dates(row: dict[str, str], today: dt.date) -> tuple[dt.date, dt.date]:
    born, registered = _date(row["born"] or ""), _date(row["registered_on"] or "")
    oldest = today.replace(year=today.year - _OLDEST_YEARS)
    if not oldest <= born <= today:
        raise ValueError(f"born {born:%d.%m.%Y} is not within the last {_OLDEST_YEARS} years")
    if not born <= registered <= today:
        raise ValueError(f"registered_on {registered:%d.%m.%Y} is not between the birth and today")
    return born, registered


def legacy_queue_import(*, text: str, skip_invalid: bool = False) -> LegacyImport:
    """Check every row of `text` (CSV), then write them all, or none (see the module)."""
    report = LegacyImport()
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        names = reader.fieldnames or []
    except csv.Error as error:
        raise LegacyFileError(f"line 1: {error}") from error
    missing = [c for c in COLUMNS if c not in names]
    if missing:
        raise LegacyFileError(f"line 1: missing columns {', '.join(missing)}")
    today = clock.today()
    qids = set(LegacyRecord.objects.values_list("qid", flat=True))
    certificates = dict(LegacyRecord.objects.values_list("certificate_key", "qid"))
    records: list[LegacyRecord] = []
    line = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            report.errors.append(f"line {reader.line_num}: {error}")
            break
        line = reader.line_num
        problems = []
        qid = (row["qid"] or "").strip()
        if not qid:
            problems.append("qid: empty")
        elif len(qid) > _QID_LENGTH or not _QID.fullmatch(qid):
            problems.append("qid: up to 32 Latin letters, digits and - _ / .")
        elif qid in qids:
            problems.append("qid: repeated")
        certificate = None
        try:
            certificate = parse_ukrainian(row["certificate"] or "")
        except CertificateError:
            problems.append("certificate: not a Ukrainian birth certificate")
        if certificate is not None and certificate.key in certificates:
            problems.append(f"certificate: the same as qid {certificates[certificate.key]}")
        born = registered = today
        try:
            born, registered = _dates(row, today)
        except ValueError as error:
            problems.append(f"date: {error}")
        numbers = [n.strip() for n in (row["kindergartens"] or "").split(";") if n.strip()]
        if not numbers or not all(_NUMBER.fullmatch(n) for n in numbers):
            problems.append("kindergartens: numbers (0-9) separated by ';'")
        if problems or certificate is None:
            report.errors.append(f"line {line}: {'; '.join(problems)}")
            continue
        qids.add(qid)
        certificates[certificate.key] = qid
        records.append(
            LegacyRecord(
                qid=qid,
                certificate_key=certificate.key,
                born=born,
                registered_on=registered,
                kindergarten_numbers=[int(n) for n in numbers],
            )
        )
    if not report.errors or skip_invalid:
        with transaction.atomic():
            LegacyRecord.objects.bulk_create(records)
        report.created = len(records)
    return report
