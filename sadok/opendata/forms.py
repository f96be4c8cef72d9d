from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class NumberForm(forms.Form):
    """ "Find by application number" on a group's public queue."""

    number = forms.CharField(
        label=_("Номер заяви"),
        max_length=20,
        help_text=_("8 знаків, як у кабінеті: наприклад, K7M2QX9A"),
        error_messages={"required": _("Введіть номер заяви з кабінету.")},
    )
