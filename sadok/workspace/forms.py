"""The district office's decision forms: each decision needs its reason code, and a
written reason where the family (or the head) is owed one."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from sadok import clock
from sadok.applications.models import DecisionReason
from sadok.kindergartens.models import ReferralKind


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
