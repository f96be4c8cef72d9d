"""Phone numbers as Kyiv families write them (sadok/accounts/phones.py)."""

import pytest
from django.core.exceptions import ValidationError

from sadok.accounts.phones import phone_normalize


@pytest.mark.parametrize(
    "typed",
    [
        "067 123 45 67",
        "0671234567",
        "(067) 123-45-67",
        "067-123-45-67",
        "+380671234567",
        "+38 067 123 45 67",
        "+380 67 123 45 67",
        "380671234567",
        "8 067 123 45 67",
        " 067 123 45 67 ",
    ],
)
def test_every_usual_writing_of_a_ukrainian_mobile_is_one_number(typed):
    assert phone_normalize(typed) == "+380671234567"


@pytest.mark.parametrize(
    "typed", ["123", "067 123 45", "0671234567890", "телефон", "+380 00 000 00 00"]
)
def test_what_is_no_phone_number_is_refused_with_an_example(typed):
    with pytest.raises(ValidationError) as refused:
        phone_normalize(typed)
    assert "067 123 45 67" in refused.value.messages[0]


def test_a_landline_is_refused_since_the_code_comes_by_sms():
    with pytest.raises(ValidationError) as refused:
        phone_normalize("044 123 45 67")
    assert refused.value.code == "not_mobile"


def test_a_foreign_mobile_is_kept_in_its_own_country():
    assert phone_normalize("+48 512 345 678") == "+48512345678"
