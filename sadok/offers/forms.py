from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class DeclarePlacesForm(forms.Form):
    count = forms.IntegerField(
        label=_("Скільки місць звільнилося"),
        min_value=1,
        max_value=50,
        error_messages={
            "min_value": _("Щонайменше одне місце."),
            "max_value": _("Не більше ніж 50 за раз."),
        },
    )
    intake = forms.ChoiceField(
        label=_("Коли пропонувати"),
        choices=[
            ("now", _("одразу: система надішле пропозиції першим у черзі")),
            ("wave", _("у вересневий набір")),
        ],
        initial="now",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, free: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["count"].widget.attrs["max"] = str(max(free, 1))


class WithdrawPlaceForm(forms.Form):
    reason = forms.CharField(label=_("Причина"), max_length=255)
