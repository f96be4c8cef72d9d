"""People's and children's names as they are kept: one spelling of each character.

A name shown on a head's or an officer's page must read as it was meant: no
right-to-left override turning it around, no zero-width character making two
equal names differ. So every name field (a child's, a guardian's, a staff
member's) is normalised the same way: Unicode NFC; invisible and bidi control
characters (Unicode category Cf) removed; the apostrophes ' ’ ʼ folded into one,
the Ukrainian ʼ (U+02BC, a letter in Unicode, so a name stays one word); runs of
white space made one space. What is left must be letters, combining marks, the
apostrophe, hyphens and spaces.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

APOSTROPHE = "ʼ"
APOSTROPHES = frozenset("'’ʼ")
ALLOWED_MARKS = frozenset({APOSTROPHE, "-", " "})

NAME_REFUSED = _(
    "Ім'я може містити лише літери, апостроф, дефіс і пробіл. Приберіть цифри, "
    "розділові знаки та інші символи."
)


def person_name_normalise(value: str) -> str:
    """The name in its one spelling (see the module); what it may not hold stays,
    for `person_name_clean` to refuse."""
    text = unicodedata.normalize("NFC", value)
    text = "".join(
        APOSTROPHE if ch in APOSTROPHES else ch for ch in text if unicodedata.category(ch) != "Cf"
    )
    return " ".join(text.split())


def _allowed(ch: str) -> bool:
    return ch in ALLOWED_MARKS or unicodedata.category(ch)[0] in "LM"


def person_name_clean(value: str) -> str:
    """The normalised name, or a ValidationError naming what to fix."""
    text = person_name_normalise(value)
    if not all(_allowed(ch) for ch in text):
        raise ValidationError(NAME_REFUSED, code="name_characters")
    return text


def person_name_salvage(value: str) -> str:
    """A name from another system (KyivID's claims): normalised, and whatever a
    name may not hold dropped rather than refused — the person is signing in."""
    return " ".join("".join(ch for ch in person_name_normalise(value) if _allowed(ch)).split())


class PersonNameField(forms.CharField):
    """A form's name field: normalised, then checked (see the module)."""

    def to_python(self, value: Any) -> str:
        return person_name_normalise(super().to_python(value) or "")

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value:
            person_name_clean(value)
