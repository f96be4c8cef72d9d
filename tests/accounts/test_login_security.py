import re

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.urls import reverse

from sadok.accounts.models import User
from sadok.sms import LocmemSmsBackend
from tests.factories import KindergartenFactory
from tests.factories_accounts import PASSWORD, city_admin, head_of, person

pytestmark = pytest.mark.django_db


def _login(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_repeated_wrong_passwords_lock_the_address_out_with_a_clear_message(client, settings):
    person("olena@example.com")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _login(client, "olena@example.com", "wrong")
        assert response.status_code == 200  # the form again, with its error
    locked = _login(client, "olena@example.com", "wrong")
    assert locked.status_code == 429
    assert "Вхід тимчасово заблоковано" in locked.content.decode()
    # Even the right password is refused while the lock lasts.
    assert _login(client, "olena@example.com", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_counts_per_address_not_for_everyone(client, settings):
    person("olena@example.com")
    person("andriy@example.com")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "olena@example.com", "wrong")
    response = _login(client, "andriy@example.com", PASSWORD)
    assert response.status_code == 302
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
