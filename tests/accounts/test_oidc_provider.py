"""Self-test of the local OpenID Connect provider used by the login tests.

Plain HTTP against the provider thread, no Django models, no database.
"""

import secrets
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests

from tests.accounts.oidc_provider import (
    BadSignatureError,
    JsonWebKey,
    JsonWebToken,
    LocalOIDCProvider,
    OIDCUser,
    follow_authorize,
    s256_challenge,
)

CLIENT_ID = "sadok-test"
CLIENT_SECRET = "not-a-real-secret"
CALLBACK = "http://testserver/accounts/oidc/test/login/callback/"

jwt = JsonWebToken(["RS256"])


@pytest.fixture(scope="module")
def running_provider():
    """One provider per module: RSA key generation is the slow part."""
    user = OIDCUser(
        sub="user-42",
        email="olena@example.com",
        given_name="Олена",
        middle_name="Петрівна",
        family_name="Коваль",
        phone_number="+380441234567",
    )
    idp = LocalOIDCProvider(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, user=user)
    idp.start()
    try:
        yield idp
    finally:
        idp.stop()


@pytest.fixture
def provider(running_provider):
    """The running provider, with its knobs and records reset for each test."""
    running_provider.advertised_issuer = None
    running_provider.tamper_id_token = False
    running_provider.sign_with_unknown_key = False
    running_provider.authorize_requests.clear()
    running_provider.token_requests.clear()
    return running_provider


def authorize(provider, verifier, **overrides):
    """Run an authorize request with a PKCE pair; return the callback's query params."""
    params = {
        "response_type": "code",
        "client_id": CLIENT_ID,
        "redirect_uri": CALLBACK,
        "scope": "openid profile email phone",
        "state": "st&te/1",
        "nonce": "n-0S6",
        "code_challenge": s256_challenge(verifier),
        "code_challenge_method": "S256",
        **overrides,
    }
    location = follow_authorize(f"{provider.issuer}/authorize?{urlencode(params)}")
    assert location.startswith(CALLBACK + "?")
    return {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}


def exchange(provider, code, verifier, *, secret=CLIENT_SECRET, basic=False):
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": CALLBACK,
        "code_verifier": verifier,
    }
    auth = None
    if basic:
        auth = (CLIENT_ID, secret)
    else:
        form |= {"client_id": CLIENT_ID, "client_secret": secret}
    return requests.post(f"{provider.issuer}/token", data=form, auth=auth, timeout=5)


def login(provider, **exchange_kwargs):
    verifier = secrets.token_urlsafe(48)
    callback = authorize(provider, verifier)
    response = exchange(provider, callback["code"], verifier, **exchange_kwargs)
    assert response.status_code == 200, response.text
    return response.json()


def decode_id_token(provider, id_token):
    jwks = requests.get(f"{provider.issuer}/jwks", timeout=5).json()
    claims = jwt.decode(id_token, JsonWebKey.import_key_set(jwks))
    claims.validate()
    return claims


def test_discovery_document(provider):
    response = requests.get(f"{provider.issuer}/.well-known/openid-configuration", timeout=5)

    assert response.status_code == 200
    config = response.json()
    assert provider.issuer.startswith("http://127.0.0.1:")
    assert provider.issuer.endswith("/oidc")
    assert config["issuer"] == provider.issuer
    assert config["authorization_endpoint"] == f"{provider.issuer}/authorize"
    assert config["token_endpoint"] == f"{provider.issuer}/token"
    assert config["userinfo_endpoint"] == f"{provider.issuer}/userinfo"
    assert config["jwks_uri"] == f"{provider.issuer}/jwks"
    assert config["code_challenge_methods_supported"] == ["S256"]
    assert config["id_token_signing_alg_values_supported"] == ["RS256"]
    assert set(config["token_endpoint_auth_methods_supported"]) == {
        "client_secret_post",
        "client_secret_basic",
    }


def test_jwks_publishes_the_public_key_only(provider):
    (key,) = requests.get(f"{provider.issuer}/jwks", timeout=5).json()["keys"]

    assert key["kty"] == "RSA"
    assert key["alg"] == "RS256"
    assert key["use"] == "sig"
    assert key["kid"] == provider.kid
    assert not {"d", "p", "q", "dp", "dq", "qi"} & key.keys()


def test_full_code_flow_with_pkce(provider):
    verifier = secrets.token_urlsafe(48)

    callback = authorize(provider, verifier)
    response = exchange(provider, callback["code"], verifier)

    assert callback["state"] == "st&te/1"
    assert response.status_code == 200, response.text
    assert response.headers["Cache-Control"] == "no-store"
    tokens = response.json()
    assert tokens["token_type"] == "Bearer"
    assert tokens["expires_in"] == 300
    claims = decode_id_token(provider, tokens["id_token"])
    assert claims["iss"] == provider.issuer
    assert claims["aud"] == CLIENT_ID
    assert claims["sub"] == "user-42"
    assert claims["nonce"] == "n-0S6"
    assert claims["exp"] - claims["iat"] == 300
    assert claims["email"] == "olena@example.com"
    assert claims["email_verified"] is True
    assert claims["name"] == "Олена Петрівна Коваль"
    assert claims["middle_name"] == "Петрівна"
    assert claims["phone_number"] == "+380441234567"
    assert claims["phone_number_verified"] is False

    userinfo = requests.get(
        f"{provider.issuer}/userinfo",
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
        timeout=5,
    )
    assert userinfo.status_code == 200
    assert userinfo.json() == provider.user.claims()

    (authorize_request,) = provider.authorize_requests
    assert authorize_request["code_challenge"] == s256_challenge(verifier)
    (token_request,) = provider.token_requests
    assert token_request["code_verifier"] == verifier
    assert token_request["client_secret"] == CLIENT_SECRET


def test_client_secret_basic(provider):
    tokens = login(provider, basic=True)

    assert decode_id_token(provider, tokens["id_token"])["sub"] == "user-42"
    assert "client_secret" not in provider.token_requests[0]


@pytest.mark.parametrize("authorization", [None, "Bearer not-a-token", "Basic c2Fkb2s6c2Fkb2s="])
def test_userinfo_requires_a_valid_bearer_token(provider, authorization):
    headers = {"Authorization": authorization} if authorization else {}

    response = requests.get(f"{provider.issuer}/userinfo", headers=headers, timeout=5)

    assert response.status_code == 401
    assert response.json()["error"] == "invalid_token"


def test_code_is_single_use_and_replay_revokes_the_access_token(provider):
    verifier = secrets.token_urlsafe(48)
    code = authorize(provider, verifier)["code"]
    first = exchange(provider, code, verifier)
    assert first.status_code == 200

    replay = exchange(provider, code, verifier)

    assert replay.status_code == 400
    assert replay.json()["error"] == "invalid_grant"
    userinfo = requests.get(
        f"{provider.issuer}/userinfo",
        headers={"Authorization": f"Bearer {first.json()['access_token']}"},
        timeout=5,
    )
    assert userinfo.status_code == 401


def test_wrong_code_verifier_is_refused(provider):
    verifier = secrets.token_urlsafe(48)
    code = authorize(provider, verifier)["code"]

    response = exchange(provider, code, secrets.token_urlsafe(48))

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_unknown_code_is_refused(provider):
    response = exchange(provider, "made-up", secrets.token_urlsafe(48))

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


@pytest.mark.parametrize(
    "overrides",
    [
        {"code_challenge": None},
        {"code_challenge_method": None},
        {"code_challenge_method": "plain"},
        {"client_id": "someone-else"},
        {"redirect_uri": None},
        {"response_type": "token"},
        {"scope": "profile email"},
    ],
    ids=[
        "no-challenge",
        "no-method",
        "plain-method",
        "unknown-client",
        "no-redirect-uri",
        "implicit",
        "no-openid-scope",
    ],
)
def test_bad_authorize_request_is_refused(provider, overrides):
    params = {
        "response_type": "code",
        "client_id": CLIENT_ID,
        "redirect_uri": CALLBACK,
        "scope": "openid",
        "state": "xyz",
        "code_challenge": s256_challenge("v" * 43),
        "code_challenge_method": "S256",
    }
    params.update(overrides)
    query = urlencode({key: value for key, value in params.items() if value is not None})

    response = requests.get(
        f"{provider.issuer}/authorize?{query}", allow_redirects=False, timeout=5
    )

    assert response.status_code == 400
    assert "error" in response.json()
    with pytest.raises(AssertionError, match="400"):
        follow_authorize(f"{provider.issuer}/authorize?{query}")


@pytest.mark.parametrize("basic", [False, True], ids=["post", "basic"])
def test_wrong_client_secret_is_refused(provider, basic):
    verifier = secrets.token_urlsafe(48)
    code = authorize(provider, verifier)["code"]

    response = exchange(provider, code, verifier, secret="wrong", basic=basic)

    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_tampered_id_token_fails_signature_verification(provider):
    provider.tamper_id_token = True

    tokens = login(provider)

    with pytest.raises(BadSignatureError):
        decode_id_token(provider, tokens["id_token"])


def test_id_token_signed_with_unknown_key_fails_verification(provider):
    provider.sign_with_unknown_key = True

    tokens = login(provider)

    # Well-formed, announcing the published kid, but signed by another key.
    claims = jwt.decode(tokens["id_token"], lambda header, payload: provider._unknown_key)
    assert claims.header["kid"] == provider.kid
    assert claims["sub"] == "user-42"
    with pytest.raises(BadSignatureError):
        decode_id_token(provider, tokens["id_token"])


def test_advertised_issuer_changes_discovery_and_iss(provider):
    provider.advertised_issuer = "https://evil.example/oidc"

    config = requests.get(f"{provider.issuer}/.well-known/openid-configuration", timeout=5).json()
    tokens = login(provider)

    assert config["issuer"] == "https://evil.example/oidc"
    assert config["token_endpoint"] == f"{provider.issuer}/token"
    assert decode_id_token(provider, tokens["id_token"])["iss"] == "https://evil.example/oidc"


def test_context_manager_stops_the_server():
    user = OIDCUser(sub="1", email="a@example.com")
    with LocalOIDCProvider(client_id="c", client_secret="s", user=user) as idp:
        url = f"{idp.issuer}/jwks"
        assert requests.get(url, timeout=5).status_code == 200

    with pytest.raises(requests.ConnectionError):
        requests.get(url, timeout=5)
