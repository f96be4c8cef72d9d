"""Sign-up as a Kyiv parent writes it: local phone formats, errors by their fields,
Sadok's name in the letter."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from sadok.accounts.models import User
from sadok.sms import LocmemSmsBackend

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-password-2026"


def _sign_up(client, **fields):
    data = {"email": "maria@example.com", "phone": "067 123 45 67", "password1": PASSWORD}
    data |= {"password2": data["password1"]} | fields
    return client.post(reverse("account_signup"), data)


def _field(html, name):
    """The block of one field: its label, input and errors."""
    match = re.search(rf'<div class="field[^"]*">\s*<label for="id_{name}">.*?</div>', html, re.S)
    assert match, f"no field {name}"
    return match.group()


def test_the_local_format_is_accepted_and_stored_as_e164(client):
    response = _sign_up(client, phone="067 123 45 67")
    assert response.status_code == 302
    assert User.objects.get(email="maria@example.com").phone == "+380671234567"


def test_a_wrong_phone_is_shown_by_the_phone_and_the_passwords_are_kept(client):
    response = _sign_up(client, phone="067 123")
    html = response.content.decode()
    phone = _field(html, "phone")
    assert "has-error" in phone
    assert phone.index("<label") < phone.index("<input") < phone.index("field-error")
    assert "Перевірте номер: наприклад, 067 123 45 67" in phone
    assert f'value="{PASSWORD}"' in _field(html, "password1")
    assert f'value="{PASSWORD}"' in _field(html, "password2")
    assert "has-error" not in _field(html, "email")
    assert not User.objects.exists()


def test_passwords_that_differ_are_emptied_with_a_plain_sentence(client):
    html = _sign_up(client, password2="another-password-2026").content.decode()
    assert "Паролі не збігаються." in _field(html, "password2")
    assert "value=" not in re.search(r'<input[^>]*name="password1"[^>]*>', html).group()
    assert 'value="067 123 45 67"' in _field(html, "phone")


def test_a_numeric_password_is_refused_in_plain_ukrainian(client):
    html = _sign_up(client, password1="48213957", password2="48213957").content.decode()
    assert "Пароль складається лише з цифр: додайте літери." in _field(html, "password1")


def test_the_confirmation_letter_names_sadok_not_the_host(client, settings):
    settings.SADOK_SITE_NAME = "Sadok"
    settings.SADOK_BASE_URL = "https://sadok.kyiv.ua"
    LocmemSmsBackend.outbox.clear()
    _sign_up(client)
    # The phone first, by the code in the SMS; then the letter goes out.
    code = re.search(r"\b\d{6}\b", LocmemSmsBackend.outbox[-1].text).group()
    client.post(reverse("account_verify_phone"), {"code": code})
    letter = mail.outbox[-1]
    assert "testserver" not in letter.body
    assert "Це лист від Sadok" in letter.body
    assert "https://sadok.kyiv.ua" in letter.body
    assert re.search(r"\b\d{6}\b", letter.body)
    assert letter.subject == "Sadok: Підтвердьте адресу електронної пошти"
