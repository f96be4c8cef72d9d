"""Phone numbers as Kyiv families write them.

A parent types `067 123 45 67`, `0671234567`, `(067) 123-45-67`, `+38 067 123 45
67` or `+380671234567`: all the same number. `phonenumbers` (Google's libphonenumber
data) reads them with Ukraine as the default region; Sadok stores E.164
(`+380671234567`), as allauth and the SMS gateway expect. The number must be a
mobile one: the code that verifies it comes by SMS.
"""

from __future__ import annotations

import re
from typing import Any

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

REGION = "UA"
_MOBILE = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}
# The old trunk prefix "8" before a Ukrainian number: 8 067 123 45 67.
_OLD_TRUNK = re.compile(r"^\s*8\s*\(?\s*0")


def phone_normalize(text: str) -> str:
    """`text` as E.164, or a ValidationError a parent understands."""
    text = text.strip()
    if _OLD_TRUNK.match(text):
        text = text.replace("8", "", 1)
    try:
        number = phonenumbers.parse(text, REGION)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("Перевірте номер: наприклад, 067 123 45 67 або +380 67 123 45 67."),
            code="invalid_phone",
        )
    if phonenumbers.number_type(number) not in _MOBILE:
        raise ValidationError(
            _("Вкажіть номер мобільного: на нього прийде код у SMS."), code="not_mobile"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class PhoneField(forms.CharField):
    """A phone number in any usual Ukrainian writing, cleaned to E.164."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Мобільний телефон"))
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"type": "tel", "autocomplete": "tel", "placeholder": "067 123 45 67"}
            ),
        )
        kwargs.setdefault("max_length", 32)
        super().__init__(*args, **kwargs)

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        return phone_normalize(value) if value else value
