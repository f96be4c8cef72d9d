import datetime as dt
import logging
import re
import time

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.core import mail
from django.test import Client
from django.urls import reverse

from sadok.accounts.models import User
from sadok.sms import LocmemSmsBackend
from tests.factories import KindergartenFactory
from tests.factories_accounts import PASSWORD, city_admin, head_of, person

pytestmark = pytest.mark.django_db


def _login(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def _from(client, address):
    client.defaults["REMOTE_ADDR"] = address
    return client


def test_a_strangers_wrong_passwords_do_not_keep_the_parent_out(client, settings):
    person("olena@example.com")
    stranger = _from(Client(), "203.0.113.9")
    for _ in range(20):
        _login(stranger, "olena@example.com", "wrong")
    refused = _login(stranger, "olena@example.com", "wrong")
    assert "Забагато невдалих спроб" in refused.content.decode()
    # The parent, from her own phone, signs in at once.
    assert _login(_from(client, "198.51.100.7"), "olena@example.com", PASSWORD).status_code == 302
    assert "_auth_user_id" in client.session


def test_wrong_passwords_from_one_client_wait_longer_and_longer(client):
    person("olena@example.com")
    at = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
    waits = []
    with time_machine.travel(at, tick=False) as traveller:
        for _round in range(3):
            tries = 0
            while "Забагато" not in _login(client, "olena@example.com", "x").content.decode():
                tries += 1
                assert tries < 50
            waited = dt.timedelta()
            while "Забагато" in _login(client, "olena@example.com", "x").content.decode():
                traveller.shift(dt.timedelta(minutes=1))
                waited += dt.timedelta(minutes=1)
                assert waited < dt.timedelta(days=1)
            waits.append(waited)
    # 5 a minute, 10 a quarter hour, 15 an hour (settings.ACCOUNT_RATE_LIMITS).
    assert waits == [dt.timedelta(minutes=m) for m in (1, 14, 45)]


def test_a_password_reset_lets_the_parent_in_at_once(client):
    person("olena@example.com")
    for _ in range(20):
        _login(client, "olena@example.com", "wrong")
    assert "Забагато" in _login(client, "olena@example.com", PASSWORD).content.decode()
    client.post(reverse("account_reset_password"), {"email": "olena@example.com"})
    link = re.search(r"https?://\S+/password/reset/key/\S+/", mail.outbox[-1].body).group()
    form = client.get(link, follow=True)
    client.post(
        form.redirect_chain[-1][0],
        {"password1": "new-password-2026", "password2": "new-password-2026"},
    )
    client.logout()
    assert _login(client, "olena@example.com", "new-password-2026").status_code == 302
    assert "_auth_user_id" in client.session


def _staff_with_secret(email="head@example.com"):
    kindergarten = KindergartenFactory()
    user = head_of(kindergarten, email, mfa=False)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return user, secret


def _right_code(secret):
    counter = int(time.time()) // 30
    return format_hotp_value(hotp_value(secret, counter))


def _wrong_code(secret):
    right = {format_hotp_value(hotp_value(secret, int(time.time()) // 30 + i)) for i in (-1, 0, 1)}
    return next(c for c in (f"{n:06d}" for n in range(1000)) if c not in right)


def test_wrong_second_factor_codes_are_limited_logged_and_the_owner_told(client, caplog):
    head, secret = _staff_with_secret()
    assert _login(client, head.email, PASSWORD)["Location"] == reverse("mfa_authenticate")
    mail.outbox.clear()
    with caplog.at_level(logging.WARNING):
        answers = [
            client.post(reverse("mfa_authenticate"), {"code": _wrong_code(secret)})
            for _ in range(40)
        ]
    refused = [a for a in answers if "Забагато невдалих спроб" in a.content.decode()]
    assert len(refused) >= 40 - 5
    # The right code is refused too while the limit holds.
    right = client.post(reverse("mfa_authenticate"), {"code": _right_code(secret)})
    assert "_auth_user_id" not in client.session
    assert "Забагато невдалих спроб" in right.content.decode()
    assert f"second factor wrong code: user {head.pk}" in caplog.text
    assert f"second factor refused, too many wrong codes: user {head.pk}" in caplog.text
    assert [m.to for m in mail.outbox] == [[head.email]]  # once, not forty times
    assert "неправильний код" in mail.outbox[0].subject


def test_signing_in_with_the_password_again_does_not_reset_the_code_limit(client):
    head, secret = _staff_with_secret()
    for _ in range(6):
        _login(_from(Client(), "203.0.113.9"), head.email, PASSWORD)
        client = _from(Client(), "203.0.113.9")
        _login(client, head.email, PASSWORD)
        for _ in range(5):
            client.post(reverse("mfa_authenticate"), {"code": _wrong_code(secret)})
    right = client.post(reverse("mfa_authenticate"), {"code": _right_code(secret)})
    assert "Забагато невдалих спроб" in right.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_code_limit_lifts_after_a_wait_and_the_right_code_signs_in(client):
    head, secret = _staff_with_secret()
    at = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(at, tick=False) as traveller:
        _login(client, head.email, PASSWORD)
        for _ in range(6):
            client.post(reverse("mfa_authenticate"), {"code": _wrong_code(secret)})
        traveller.shift(dt.timedelta(minutes=2))
        _login(client, head.email, PASSWORD)
        client.post(reverse("mfa_authenticate"), {"code": _right_code(secret)})
    assert "_auth_user_id" in client.session


def test_a_head_without_mfa_is_sent_to_set_it_up_before_any_staff_page(client):
    kindergarten = KindergartenFactory()
    client.force_login(head_of(kindergarten, mfa=False))
    response = client.get(reverse("kindergartens:staff-edit", args=[kindergarten.number]))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_a_head_with_mfa_must_give_the_code_when_logging_in(client):
    kindergarten = KindergartenFactory()
    head = head_of(kindergarten)
    response = _login(client, head.email, PASSWORD)
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session


def test_a_parent_signs_up_verifies_the_email_and_the_phone_by_code(client):
    LocmemSmsBackend.outbox.clear()
    response = client.post(
        reverse("account_signup"),
        {
            "email": "maria@example.com",
            "phone": "+380671234567",
            "password1": "a-long-password-2026",
            "password2": "a-long-password-2026",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_verify_phone")
    user = User.objects.get(email="maria@example.com")
    assert not user.phone_verified
    # The phone first: a six-digit code sent through Sadok's SMS layer.
    sms = LocmemSmsBackend.outbox[-1]
    assert sms.phone == "+380671234567"
    phone_code = re.search(r"\b\d{6}\b", sms.text).group()
    wrong = client.post(reverse("account_verify_phone"), {"code": "000000"})
    assert wrong.status_code == 200
    response = client.post(reverse("account_verify_phone"), {"code": phone_code})
    assert response["Location"] == reverse("account_email_verification_sent")
    user.refresh_from_db()
    assert user.phone_verified
    # Then the e-mail, by the code in the letter.
    email_code = re.search(r"\b\d{6}\b", mail.outbox[-1].body).group()
    response = client.post(reverse("account_email_verification_sent"), {"code": email_code})
    assert response.status_code == 302
    assert user.emailaddress_set.get().verified
    assert "_auth_user_id" in client.session


def test_the_admin_is_only_for_the_city_administrator(client):
    kindergarten = KindergartenFactory()
    client.force_login(head_of(kindergarten))
    assert client.get("/admin/").status_code == 302
    client.force_login(city_admin())
    assert client.get("/admin/").status_code == 200


def test_an_administrator_without_mfa_does_not_get_the_admin(client):
    client.force_login(city_admin(mfa=False))
    assert client.get("/admin/").status_code == 302
    assert not Authenticator.objects.exists()


def test_an_admin_change_is_logged(client):
    from django.contrib.admin.models import LogEntry

    client.force_login(city_admin())
    kindergarten = KindergartenFactory()
    url = f"/admin/kindergartens/kindergarten/{kindergarten.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    skip = {"specialisations", "photo"}
    data = {k: v for k, v in form.initial.items() if v is not None and k not in skip}
    data.update(
        {
            "name": "Нова назва",
            "district": kindergarten.district_id,
            "groups-TOTAL_FORMS": 0,
            "groups-INITIAL_FORMS": 0,
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert LogEntry.objects.get().object_repr.endswith("Нова назва")
