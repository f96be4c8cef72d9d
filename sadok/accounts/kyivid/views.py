from __future__ import annotations

import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.helpers import render_authentication_error
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from jwt import PyJWTError, get_unverified_header
from requests import RequestException

# Asymmetric signatures only: "none" or HS256 (keyed with the public client
# secret) would let anyone mint a token.
SIGNING_ALGORITHMS = {"RS256", "RS384", "RS512", "ES256", "ES384", "PS256"}


class KyivIDMisconfigured(OAuth2Error):
    """Sadok's side of KyivID is wrong (issuer, discovery, client credentials):
    no family can sign in until an operator fixes it."""


class KyivIDAdapter(OpenIDConnectOAuth2Adapter):
    """allauth's OIDC adapter, stricter where a city service must be.

    allauth may skip the ID token's signature when it fetched the token itself
    over TLS; Sadok always checks it against the provider's published keys,
    insists that the discovery document names the configured issuer, and that
    the ID token returns the nonce of this login's authorization request.
    """

    provider_id = "kyivid"
    # The nonce sent with this login's authorization request (from its state).
    expected_nonce: str | None = None

    def __init__(self, request: HttpRequest) -> None:
        super().__init__(request, self.provider_id)

    @property
    def openid_config(self) -> dict[str, Any]:
        try:
            config: dict[str, Any] = super().openid_config
        except (RequestException, ValueError) as error:
            failure = KyivIDMisconfigured(f"KyivID discovery unreadable: {type(error).__name__}")
            raise ImmediateHttpResponse(
                render_authentication_error(self.request, self.get_provider(), exception=failure)
            ) from error
        expected = settings.KYIVID_ISSUER.rstrip("/")
        if str(config.get("issuer", "")).rstrip("/") != expected:
            wrong = KyivIDMisconfigured(f"KyivID discovery names issuer {config.get('issuer')!r}")
            raise ImmediateHttpResponse(
                render_authentication_error(self.request, self.get_provider(), exception=wrong)
            )
        return config

    def _decode_id_token(self, app: SocialApp, id_token: str) -> dict[str, Any]:
        try:
            algorithm = get_unverified_header(id_token).get("alg")
        except PyJWTError as error:
            raise OAuth2Error("Malformed id_token") from error
        if algorithm not in SIGNING_ALGORITHMS:
            raise OAuth2Error(f"id_token signed with {algorithm!r}")
        data: dict[str, Any] = jwtkit.verify_and_decode(
            credential=id_token,
            keys_url=self.openid_config["jwks_uri"],
            issuer=self.openid_config["issuer"],
            audience=app.client_id,
            lookup_kid=jwtkit.lookup_kid_jwk,
            verify_signature=True,
        )
        if not self.expected_nonce or not secrets.compare_digest(
            str(data.get("nonce", "")), self.expected_nonce
        ):
            raise OAuth2Error("id_token nonce does not match this login")
        return data

    def get_callback_url(self, request: HttpRequest, app: SocialApp) -> str:
        from allauth.utils import build_absolute_uri

        return str(
            build_absolute_uri(request, reverse("kyivid_callback"), self.redirect_uri_protocol)
        )


def _not_found_unless_configured(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Without KYIVID_* settings there is no KyivID: its pages are 404, not errors."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except SocialApp.DoesNotExist as error:
            raise Http404("KyivID is not configured.") from error

    return wrapped


class KyivIDCallbackView(OAuth2CallbackView):
    """allauth's callback, handing the login's nonce to the adapter."""

    def _get_state(self, request: HttpRequest, provider: Any) -> tuple[Any, Any]:
        state, response = super()._get_state(request, provider)
        if state:
            self.adapter.expected_nonce = state.get("nonce")
        return state, response


oauth2_login = _not_found_unless_configured(OAuth2LoginView.adapter_view(KyivIDAdapter))
oauth2_callback = _not_found_unless_configured(KyivIDCallbackView.adapter_view(KyivIDAdapter))
