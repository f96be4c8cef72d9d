from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from sadok import clock
from sadok.accounts.names import PersonNameField
from sadok.applications.certificates import (
    Certificate,
    CertificateError,
    parse_foreign,
    parse_ukrainian,
)
from sadok.applications.models import PrivilegeCategory
from sadok.kindergartens.models import District

# A child older than this at registration can no longer attend any group.
OLDEST_MONTHS = 7 * 12
DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]


def _date_field(label: Any, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Введіть дату у форматі ДД.ММ.РРРР.")},
    )


class CertificateFields(forms.Form):
    certificate_kind = forms.ChoiceField(
        label=_("Свідоцтво про народження"),
        choices=[("ua", _("видане в Україні")), ("foreign", _("видане за кордоном"))],
        initial="ua",
        widget=forms.RadioSelect,
    )
    certificate = forms.CharField(
        label=_("Серія і номер"),
        max_length=40,
        required=False,
        help_text=_("Наприклад: I-КВ 123456"),
    )
    certificate_country = forms.CharField(label=_("Країна видачі"), max_length=60, required=False)
    certificate_foreign_number = forms.CharField(
        label=_("Номер іноземного свідоцтва"), max_length=40, required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            if data.get("certificate_kind") == "foreign":
                data["parsed_certificate"] = parse_foreign(
                    country=data.get("certificate_country", ""),
                    number=data.get("certificate_foreign_number", ""),
                )
            else:
                data["parsed_certificate"] = parse_ukrainian(data.get("certificate", ""))
        except CertificateError as error:
            field = (
                "certificate"
                if data.get("certificate_kind") != "foreign"
                else "certificate_foreign_number"
            )
            self.add_error(field, str(error))
        return data

    @property
    def parsed_certificate(self) -> Certificate:
        certificate: Certificate = self.cleaned_data["parsed_certificate"]
        return certificate


class ChildForm(CertificateFields):
    last_name = PersonNameField(label=_("Прізвище дитини"), max_length=100)
    first_name = PersonNameField(label=_("Ім'я"), max_length=100)
    patronymic = PersonNameField(label=_("По батькові"), max_length=100, required=False)
    born = _date_field(_("Дата народження"))

    field_order = [
        "last_name",
        "first_name",
        "patronymic",
        "born",
        "certificate_kind",
        "certificate",
        "certificate_country",
        "certificate_foreign_number",
    ]

    def clean_born(self) -> dt.date:
        born: dt.date = self.cleaned_data["born"]
        today = clock.today()
        if born > today:
            raise forms.ValidationError(_("Дата народження не може бути в майбутньому."))
        months = (today.year - born.year) * 12 + today.month - born.month
        if months > OLDEST_MONTHS:
            raise forms.ValidationError(
                _("Дитина цього віку вже не може піти до садочка (до 7 років). Перевірте рік.")
            )
        return born


class LegacyClaimForm(CertificateFields):
    qid = forms.CharField(label=_("Qid зі старої системи"), max_length=32)
    registered_on = _date_field(_("Дата реєстрації в старій системі"))
    last_name = PersonNameField(label=_("Прізвище дитини"), max_length=100)
    first_name = PersonNameField(label=_("Ім'я"), max_length=100)
    patronymic = PersonNameField(label=_("По батькові"), max_length=100, required=False)

    field_order = [
        "qid",
        "registered_on",
        "certificate_kind",
        "certificate",
        "certificate_country",
        "certificate_foreign_number",
        "last_name",
        "first_name",
        "patronymic",
    ]


class ClaimForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Категорія пільги"),
        queryset=PrivilegeCategory.objects.filter(active=True),
        empty_label=None,
        widget=forms.RadioSelect,
    )
    document = forms.FileField(
        label=_("Документ, що підтверджує пільгу"),
        help_text=_("PDF, JPEG або PNG, до 10 МБ."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )
    valid_until = _date_field(_("Документ дійсний до (якщо вказано)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The categories under their three tiers, in the rule's order, as the city
        # presents them (позачергово, першочергово, забезпечення влаштування).
        field = cast(forms.ModelChoiceField, self.fields["category"])
        categories = list(field.queryset.order_by("tier", "name"))  # type: ignore[union-attr]
        field.choices = [
            (
                PrivilegeCategory.Tier(tier).label,
                [(c.pk, c.display_name) for c in categories if c.tier == tier],
            )
            for tier in PrivilegeCategory.Tier.values
            if any(c.tier == tier for c in categories)
        ]

    def clean_valid_until(self) -> dt.date | None:
        value: dt.date | None = self.cleaned_data.get("valid_until")
        if value is not None and value < clock.today():
            raise forms.ValidationError(_("Строк дії документа вже минув."))
        return value


class InvitationAcceptForm(forms.Form):
    code = forms.CharField(
        label=_("Код"),
        max_length=20,
        help_text=_("Від другого з батьків або від РУО, наприклад: 7KX3M9PQ2A."),
    )


class AddKindergartenForm(forms.Form):
    number = forms.IntegerField(label=_("Номер садочка"), min_value=1, max_value=1_000_000)


class DateRestoreForm(forms.Form):
    """The Qid and date of a child's record in the old system's queue."""

    qid = forms.CharField(label=_("Qid зі старої системи"), max_length=32)
    registered_on = _date_field(_("Дата реєстрації в старій системі"))


class TransferRequestForm(CertificateFields):
    """A family asks the district office about a certificate another account holds."""

    district = forms.ModelChoiceField(
        label=_("РУО якого району"),
        queryset=District.objects.order_by("name"),
        empty_label=None,
        help_text=_("Зазвичай — району, де ви живете або де садочки, які ви обрали."),
    )
    note = forms.CharField(
        label=_("Що сталося (необов'язково)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Наприклад: «Дитину записав колишній чоловік без мого відома». РУО попросить "
            "прийти зі свідоцтвом про народження і паспортом."
        ),
    )

    field_order = [
        "certificate_kind",
        "certificate",
        "certificate_country",
        "certificate_foreign_number",
        "district",
        "note",
    ]
