from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sadok import clock
from sadok.kindergartens.models import District, KindergartenType, Language, Specialisation
from sadok.kindergartens.selectors import DirectoryFilter

# Nobody older than this attends a kindergarten; an older date is a typo.
OLDEST_PRESCHOOL_YEARS = 8


class DirectoryFilterForm(forms.Form):
    """The map's filters, read from the query string (they work without JavaScript)."""

    q = forms.CharField(
        label=_("Пошук"),
        required=False,
        max_length=100,
        help_text=_("Номер, назва або адреса"),
    )
    district = forms.ModelChoiceField(
        label=_("Район"),
        queryset=District.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Усі райони"),
        error_messages={"invalid_choice": _("Такого району немає: оберіть район зі списку.")},
    )
    language = forms.ChoiceField(
        label=_("Мова навчання"),
        required=False,
        choices=[("", _("Будь-яка")), *list(Language.choices)],
        error_messages={"invalid_choice": _("Оберіть мову зі списку.")},
    )
    type = forms.ChoiceField(
        label=_("Тип закладу"),
        required=False,
        choices=[("", _("Будь-який")), *list(KindergartenType.choices)],
        error_messages={"invalid_choice": _("Оберіть тип закладу зі списку.")},
    )
    specialisation = forms.ModelChoiceField(
        label=_("Спеціалізація"),
        queryset=Specialisation.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Будь-яка"),
        error_messages={"invalid_choice": _("Оберіть спеціалізацію зі списку.")},
    )
    born = forms.DateField(
        label=_("Є вільні місця для дитини, народженої"),
        required=False,
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Введіть дату народження у форматі ДД.ММ.РРРР.")},
    )

    def clean_born(self) -> dt.date | None:
        born: dt.date | None = self.cleaned_data.get("born")
        if born is None:
            return None
        today = clock.today()
        if born > today:
            raise forms.ValidationError(_("Дата народження не може бути в майбутньому."))
        if born.year < today.year - OLDEST_PRESCHOOL_YEARS:
            raise forms.ValidationError(
                _("Дитина, народжена цього дня, вже старша за дошкільний вік. Перевірте рік.")
            )
        return born

    def to_filter(self) -> DirectoryFilter:
        """The filter of every field that is valid; invalid ones are shown and ignored."""
        self.is_valid()
        data: dict[str, Any] = self.cleaned_data
        return DirectoryFilter(
            district=data.get("district"),
            language=data.get("language") or "",
            type=data.get("type") or "",
            specialisation=data.get("specialisation"),
            born=data.get("born"),
            search=(data.get("q") or "").strip(),
        )
