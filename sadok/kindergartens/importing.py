"""Import of the city's kindergarten register from CSV (docs/import-kindergartens.md).

All or nothing: every row is checked first, and nothing is written unless the
whole file is valid — or, with `skip_invalid`, only the valid rows are.

A column the file lacks leaves that field of an existing kindergarten as it is;
an empty cell is explicit: it empties the field (language and type: their default).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO

from django import forms
from django.db import transaction
from django.utils.translation import gettext as _

from sadok.kindergartens.models import (
    District,
    Kindergarten,
    KindergartenType,
    Language,
    Specialisation,
)

COLUMNS = (
    "number",
    "name",
    "district",
    "address",
    "latitude",
    "longitude",
    "phone",
    "email",
    "website",
    "language",
    "type",
    "specialisations",
    "working_hours",
    "description",
)
REQUIRED_COLUMNS = ("number", "name", "district", "address", "latitude", "longitude")

# A generous box around Kyiv: a point outside it is a swapped or mistyped coordinate.
KYIV_LATITUDE = (50.20, 50.62)
KYIV_LONGITUDE = (30.20, 30.85)


class KindergartenRowForm(forms.Form):
    number = forms.IntegerField(min_value=1, max_value=2_000_000_000)
    name = forms.CharField(max_length=255)
    district = forms.CharField(max_length=100)
    address = forms.CharField(max_length=255)
    latitude = forms.FloatField(min_value=KYIV_LATITUDE[0], max_value=KYIV_LATITUDE[1])
    longitude = forms.FloatField(min_value=KYIV_LONGITUDE[0], max_value=KYIV_LONGITUDE[1])
    phone = forms.CharField(max_length=32, required=False)
    email = forms.EmailField(required=False)
    website = forms.URLField(required=False, assume_scheme="https")
    language = forms.ChoiceField(choices=Language.choices, required=False)
    type = forms.ChoiceField(choices=KindergartenType.choices, required=False)
    specialisations = forms.CharField(required=False)
    working_hours = forms.CharField(max_length=100, required=False)
    description = forms.CharField(required=False)

    def __init__(
        self,
        *args: object,
        districts: dict[str, District],
        specialisations: dict[str, Specialisation],
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.districts = districts
        self.known_specialisations = specialisations

    def clean_district(self) -> District:
        value = self.cleaned_data["district"].strip()
        district = self.districts.get(value.casefold())
        if district is None:
            raise forms.ValidationError(
                _("невідомий район «%(value)s»: вкажіть код (obolonskyi) або назву (Оболонський)")
                % {"value": value}
            )
        return district

    def clean_specialisations(self) -> list[Specialisation]:
        slugs = [s.strip() for s in self.cleaned_data["specialisations"].split(";") if s.strip()]
        unknown = [slug for slug in slugs if slug not in self.known_specialisations]
        if unknown:
            raise forms.ValidationError(
                _("невідомі спеціалізації: %(codes)s") % {"codes": ", ".join(unknown)}
            )
        return [self.known_specialisations[slug] for slug in slugs]


@dataclass
class RowError:
    line: int
    messages: list[str]

    def __str__(self) -> str:
        return _("рядок %(line)d: %(errors)s") % {
            "line": self.line,
            "errors": "; ".join(self.messages),
        }


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    written: bool = False


def kindergartens_import(*, rows: IO[str], skip_invalid: bool = False) -> ImportReport:
    """Check every row of the CSV, then create or update kindergartens by number."""
    reader = csv.DictReader(rows)
    report = ImportReport()
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        report.errors.append(
            RowError(1, [_("немає обов'язкових стовпців: %(cols)s") % {"cols": ", ".join(missing)}])
        )
        return report
    present = set(reader.fieldnames or []) & set(COLUMNS)
    valid = list(_valid_rows(reader, report, present=present))
    if report.errors and not skip_invalid:
        return report
    with transaction.atomic():
        for data in valid:
            specialisations = data.pop("specialisations", None)
            kindergarten, created = Kindergarten.objects.update_or_create(
                number=data.pop("number"), defaults=data
            )
            if specialisations is not None:
                kindergarten.specialisations.set(specialisations)
            report.created += created
            report.updated += not created
    report.written = True
    return report


def _valid_rows(
    reader: Iterable[dict[str, str]], report: ImportReport, *, present: set[str]
) -> Iterable[dict]:
    districts: dict[str, District] = {}
    for district in District.objects.all():
        districts[district.slug.casefold()] = district
        districts[district.name.casefold()] = district
    specialisations = {s.slug: s for s in Specialisation.objects.all()}
    seen: dict[int, int] = {}
    for line, row in enumerate(reader, start=2):
        data = {key: (row.get(key) or "").strip() for key in COLUMNS}
        form = KindergartenRowForm(data, districts=districts, specialisations=specialisations)
        if not form.is_valid():
            report.errors.append(
                RowError(
                    line,
                    [
                        f"{name}: {' '.join(str(e) for e in errs)}"
                        for name, errs in form.errors.items()
                    ],
                )
            )
            continue
        cleaned = dict(form.cleaned_data)
        if cleaned["number"] in seen:
            report.errors.append(
                RowError(
                    line,
                    [
                        _("number: номер %(n)d уже є в рядку %(first)d")
                        % {"n": cleaned["number"], "first": seen[cleaned["number"]]}
                    ],
                )
            )
            continue
        seen[cleaned["number"]] = line
        if "language" in present:
            cleaned["language"] = cleaned["language"] or Language.UKRAINIAN
        if "type" in present:
            cleaned["type"] = cleaned["type"] or KindergartenType.NURSERY_KINDERGARTEN
        # A column the file lacks is no instruction: the kindergarten keeps its value.
        yield {key: value for key, value in cleaned.items() if key in present}
