"""KyivID login against a real OpenID Connect provider served on 127.0.0.1."""

import logging
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse

from sadok.accounts.models import User
from tests.accounts.oidc_provider import LocalOIDCProvider, OIDCUser, follow_authorize

pytestmark = pytest.mark.django_db

CLIENT_ID, CLIENT_SECRET = "sadok-kyiv", "kyivid-secret"


@pytest.fixture
def kyivid(settings):
    person = OIDCUser(
        sub="kyivid-0001",
        email="olena@example.com",
        given_name="Олена",
        family_name="Шевченко",
        middle_name="Петрівна",
        phone_number="+380501112233",
        phone_number_verified=True,
    )
    with LocalOIDCProvider(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, user=person) as idp:
        settings.KYIVID_ISSUER = idp.issuer
        settings.SOCIALACCOUNT_PROVIDERS = {
            "kyivid": {
                "APPS": [
                    {
                        "client_id": CLIENT_ID,
                        "secret": CLIENT_SECRET,
                        "settings": {"server_url": idp.issuer},
                    }
                ],
                "OAUTH_PKCE_ENABLED": True,
            }
        }
        yield idp


def _login(client):
    start = client.post(reverse("kyivid_login"), {"process": "login"})
    assert start.status_code == 302, start.content
    return client.get(follow_authorize(start["Location"]), follow=True)


def _logged_in(client):
    return "_auth_user_id" in client.session


def test_the_login_page_offers_kyivid_first(client, kyivid):
    html = client.get(reverse("account_login")).content.decode()
    assert "Увійти через KyivID" in html
    assert html.index("Увійти через KyivID") < html.index('name="password"')


def test_a_kyivid_login_runs_the_code_flow_with_pkce_and_fills_the_profile(client, kyivid):
    response = _login(client)

    assert response.status_code == 200
    assert _logged_in(client)
    assert response.redirect_chain[-1][0] == reverse("cabinet:home")
    authorize = kyivid.authorize_requests[0]
    assert authorize["code_challenge_method"] == "S256"
    assert "openid" in authorize["scope"].split()
    assert kyivid.token_requests[0]["code_verifier"]
    user = User.objects.get(email="olena@example.com")
    assert (user.last_name, user.first_name, user.patronymic) == ("Шевченко", "Олена", "Петрівна")
    assert (user.phone, user.phone_verified) == ("+380501112233", True)
    assert SocialAccount.objects.get(user=user).uid == "kyivid-0001"


def test_an_existing_local_account_with_the_same_verified_email_is_linked(client, kyivid):
    local = User.objects.create_user("olena@example.com", "a-long-password-1")
    EmailAddress.objects.create(user=local, email=local.email, verified=True, primary=True)

    _login(client)

    assert _logged_in(client)
    assert User.objects.count() == 1
    assert SocialAccount.objects.get(provider="kyivid").user == local


@pytest.mark.parametrize(
    "attack",
    ["tamper_id_token", "sign_with_unknown_key", "advertised_issuer"],
)
def test_a_forged_token_or_a_wrong_issuer_gets_a_clear_error_and_no_session(client, kyivid, attack):
    if attack == "advertised_issuer":
        kyivid.advertised_issuer = "http://127.0.0.1:1/not-kyivid"
    else:
        setattr(kyivid, attack, True)

    start = client.post(reverse("kyivid_login"), {"process": "login"})
    if attack == "advertised_issuer":
        # The discovery document already names the wrong issuer: refused before redirecting.
        response = start
    else:
        response = client.get(follow_authorize(start["Location"]))

    assert "Не вдалося увійти" in response.content.decode()
    assert not _logged_in(client)
    assert not User.objects.exists()


def test_the_callback_refuses_a_forged_state(client, kyivid):
    start = client.post(reverse("kyivid_login"), {"process": "login"})
    callback = urlsplit(follow_authorize(start["Location"]))
    code = parse_qs(callback.query)["code"][0]
    response = client.get(callback.path, {"code": code, "state": "forged"})
    assert "Не вдалося увійти" in response.content.decode()
    assert not _logged_in(client)


def test_the_authorization_request_carries_a_nonce_the_id_token_must_return(client, kyivid):
    _login(client)
    nonce = kyivid.authorize_requests[0].get("nonce", "")
    assert len(nonce) >= 32
    assert _logged_in(client)


def test_an_id_token_minted_for_another_login_is_refused_and_logged(client, kyivid, caplog):
    kyivid.id_token_nonce = "a-nonce-of-some-other-login-0123456789"
    with caplog.at_level(logging.WARNING):
        response = _login(client)
    assert "Не вдалося увійти" in response.content.decode()
    assert not _logged_in(client)
    assert "login through kyivid failed, refused: OAuth2Error: id_token nonce" in caplog.text


def test_a_misconfigured_kyivid_is_told_apart_from_a_refused_login(
    client, kyivid, settings, caplog
):
    settings.SOCIALACCOUNT_PROVIDERS["kyivid"]["APPS"][0]["secret"] = "not-the-secret"
    with caplog.at_level(logging.WARNING):
        response = _login(client)
    html = response.content.decode()
    assert not _logged_in(client)
    assert "з нашого боку" in html
    assert "за хвилину" not in html
    record = next(r for r in caplog.records if "login through kyivid failed" in r.getMessage())
    assert record.levelno == logging.ERROR
    assert "misconfigured" in record.getMessage()
    assert kyivid.client_secret not in caplog.text
    assert "eyJ" not in caplog.text  # no token of any kind


def test_a_wrong_issuer_is_a_misconfiguration(client, kyivid, caplog):
    kyivid.advertised_issuer = "http://127.0.0.1:1/not-kyivid"
    with caplog.at_level(logging.WARNING):
        response = client.post(reverse("kyivid_login"), {"process": "login"})
    assert "з нашого боку" in response.content.decode()
    assert "misconfigured: KyivID discovery names issuer" in caplog.text
