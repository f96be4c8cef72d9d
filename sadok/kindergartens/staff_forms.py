from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from sadok.kindergartens.models import Group, Kindergarten
from sadok.kindergartens.photos import photo_reencode
from sadok.kindergartens.rules import band_problem, legal_capacity


class KindergartenPageForm(forms.ModelForm):
    """What a head edits on the kindergarten's public page (not its number or district)."""

    website = forms.URLField(label=_("сайт"), required=False, assume_scheme="https")

    class Meta:
        model = Kindergarten
        fields = [
            "name",
            "address",
            "phone",
            "email",
            "website",
            "working_hours",
            "language",
            "type",
            "specialisations",
            "description",
            "photo",
        ]
        widgets = {"specialisations": forms.CheckboxSelectMultiple}

    def clean_photo(self) -> Any:
        photo = self.cleaned_data.get("photo")
        if isinstance(photo, UploadedFile):  # a new upload, not the photo kept or cleared
            return photo_reencode(photo)
        return photo


class GroupForm(forms.ModelForm):
    over_legal_reason = forms.CharField(
        label=_("Причина місткості понад норму закону"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Лише якщо місткість більша за норму: її побачить РУО."),
    )

    class Meta:
        model = Group
        fields = [
            "name",
            "kind",
            "age_from_months",
            "age_to_months",
            "capacity",
            "over_legal_reason",
            "specialisation",
            "language",
        ]
        help_texts = {
            "age_from_months": _("Повних місяців на дату формування: 24 = від 2 років."),
            "age_to_months": _("Не включно: 36 = до 3 років."),
        }

    def __init__(self, *args: Any, enrolled: int = 0, **kwargs: Any) -> None:
        # `enrolled` comes from the caller (the offers app counts a group's room);
        # the check against declared places too is the saving service's, under a lock.
        super().__init__(*args, **kwargs)
        self.enrolled = enrolled

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        age_from, age_to = data.get("age_from_months"), data.get("age_to_months")
        if age_from is not None and age_to is not None and age_from >= age_to:
            self.add_error("age_to_months", _("Вік «до» має бути більшим за вік «від»."))
        if age_to is not None and age_to > 96:
            self.add_error(
                "age_to_months", _("Дошкільний вік закінчується до 8 років (96 місяців).")
            )
        capacity = data.get("capacity")
        if capacity is not None and capacity < self.enrolled:
            self.add_error(
                "capacity",
                _("У групі вже %(n)d дітей: місткість не може бути меншою.") % {"n": self.enrolled},
            )
        if capacity is not None and age_from is not None and data.get("kind"):
            specialisation = data.get("specialisation")
            maximum = legal_capacity(
                kind=data["kind"],
                age_from_months=age_from,
                specialisation=specialisation.slug if specialisation else None,
            )
            if capacity > maximum and not (data.get("over_legal_reason") or "").strip():
                self.add_error(
                    "capacity",
                    _(
                        "Закон «Про дошкільну освіту» (ст. 14) дозволяє для такої групи до "
                        "%(max)d дітей. Зменште місткість або напишіть причину нижче."
                    )
                    % {"max": maximum},
                )
            if capacity <= maximum:
                data["over_legal_reason"] = ""  # within the law: no reason to keep
        if age_from is not None and age_to is not None and age_from < age_to and data.get("kind"):
            specialisation = data.get("specialisation")
            problem = band_problem(
                kind=data["kind"],
                age_from_months=age_from,
                age_to_months=age_to,
                specialisation=specialisation.slug if specialisation else None,
            )
            if problem:
                self.add_error("age_to_months", problem)
        return data
