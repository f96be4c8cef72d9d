"""The district office's decision forms: each decision needs its reason code, and a
written reason where the family (or the head) is owed one."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from sadok import clock
from sadok.accounts.phones import PhoneField
from sadok.applications.forms import ChildForm
from sadok.applications.models import DecisionReason
from sadok.kindergartens.models import Kindergarten, ReferralKind
from sadok.offers.office import Basis


def _date(label: Any, *, required: bool = False, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def _not_past(value: dt.date | None) -> dt.date | None:
    if value is not None and value < clock.today():
        raise forms.ValidationError(_("Ця дата вже минула: документ не діє."))
    return value


class ConfirmForm(forms.Form):
    valid_until = _date(
        _("Документ діє до"),
        help_text=_("Залиште порожнім, якщо документ безстроковий."),
    )

    def clean_valid_until(self) -> dt.date | None:
        return _not_past(self.cleaned_data.get("valid_until"))


class DecisionForm(forms.Form):
    """A reason code from the decision's own list and the written reason."""

    reason = forms.ChoiceField(label=_("Причина"))
    note = forms.CharField(
        label=_("Пояснення для родини"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Його побачить родина дитини. Не пишіть тут чужих персональних даних."),
    )

    def __init__(
        self, *args: Any, reasons: tuple[DecisionReason, ...], note_label: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        reason = cast(forms.ChoiceField, self.fields["reason"])
        reason.choices = [(r.value, r.label) for r in reasons]
        if note_label is not None:
            self.fields["note"].label = note_label


class ReferralForm(forms.Form):
    kind = forms.ChoiceField(label=_("Вид направлення"), choices=ReferralKind.choices)
    valid_until = _date(_("Направлення діє до"))

    def clean_valid_until(self) -> dt.date | None:
        return _not_past(self.cleaned_data.get("valid_until"))


class RejectChangeForm(forms.Form):
    note = forms.CharField(
        label=_("Пояснення для керівника садочка"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FindChildForm(forms.Form):
    number = forms.CharField(label=_("Номер заяви"), max_length=12)

    def clean_number(self) -> str:
        return str(self.cleaned_data["number"]).strip().upper()


class OfficeRegistrationForm(ChildForm):
    """A child registered at the district office from the family's documents
    (SPEC.md "Privileges"): the child, the basis, the kindergartens the family
    names, and where to send the family its code."""

    basis = forms.ChoiceField(
        label=_("Підстава"),
        choices=[
            (Basis.IDP.value, _("родина ВПО (пільга: забезпечення влаштування)")),
            (Basis.LKK.value, ReferralKind.LKK.label),
            (Basis.PMPK.value, ReferralKind.PMPK.label),
        ],
        widget=forms.RadioSelect,
    )
    valid_until = _date(
        _("Документ діє до"),
        help_text=_("Довідка ВПО або направлення. Залиште порожнім, якщо строк не вказано."),
    )
    document = forms.CharField(
        label=_("Документ, який ви бачили"),
        max_length=200,
        required=False,
        help_text=_("Для ВПО: номер і дата довідки. Побачить родина в кабінеті."),
    )
    kindergartens = forms.CharField(
        label=_("Номери садочків"),
        max_length=200,
        help_text=_("Через кому, у порядку, якого бажає родина: наприклад, 12, 245, 7."),
    )
    contact_email = forms.EmailField(label=_("E-mail родини"), required=False)
    contact_phone = PhoneField(label=_("Мобільний телефон родини"), required=False)

    field_order = [*ChildForm.field_order, "basis", "valid_until", "document", "kindergartens"]

    def clean_valid_until(self) -> dt.date | None:
        return _not_past(self.cleaned_data.get("valid_until"))

    def clean_kindergartens(self) -> list[Kindergarten]:
        text = self.cleaned_data["kindergartens"]
        numbers = [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
        if not numbers or not all(n.isdigit() for n in numbers):
            raise forms.ValidationError(_("Впишіть номери садочків цифрами, через кому."))
        wanted = list(dict.fromkeys(int(n) for n in numbers))
        found = {k.number: k for k in Kindergarten.objects.filter(number__in=wanted)}
        missing = [str(n) for n in wanted if n not in found]
        if missing:
            raise forms.ValidationError(
                _("Садочків з такими номерами немає: %(n)s.") % {"n": ", ".join(missing)}
            )
        return [found[n] for n in wanted]


class NewCodeForm(forms.Form):
    """A new office code; empty contacts: sent where the last one went."""

    contact_email = forms.EmailField(label=_("E-mail родини"), required=False)
    contact_phone = PhoneField(label=_("Мобільний телефон родини"), required=False)
