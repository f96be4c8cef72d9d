"""KyivID, the city's single account, as an OpenID Connect provider of allauth.

Configured only from the environment (KYIVID_ISSUER, KYIVID_CLIENT_ID,
KYIVID_CLIENT_SECRET); authorization code with PKCE.
"""

from __future__ import annotations

import secrets
from typing import Any

from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.http import urlencode

from sadok.accounts.kyivid.views import KyivIDAdapter


class KyivIDProvider(OpenIDConnectProvider):
    id = "kyivid"
    name = "KyivID"
    oauth2_adapter_class = KyivIDAdapter
    pkce_enabled_default = True

    def get_login_url(self, request: HttpRequest, **kwargs: Any) -> str:
        url = reverse("kyivid_login")
        return f"{url}?{urlencode(kwargs)}" if kwargs else url

    def get_callback_url(self) -> str:
        return reverse("kyivid_callback")

    def get_oauth2_adapter(self, request: HttpRequest) -> KyivIDAdapter:
        return KyivIDAdapter(request)

    def get_default_scope(self) -> list[str]:
        return ["openid", "profile", "email", "phone"]

    def redirect(
        self,
        request: HttpRequest,
        process: str,
        next_url: str | None = None,
        data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> HttpResponse:
        """The authorization request carries a fresh nonce (allauth's OpenID Connect
        client sends none); it is kept in the login's state and the ID token must
        return it (`KyivIDAdapter._decode_id_token`), so a token issued for another
        login cannot be replayed into this one."""
        nonce = secrets.token_urlsafe(32)
        auth_params = dict(kwargs.pop("auth_params", None) or self.get_auth_params())
        auth_params["nonce"] = nonce
        response: HttpResponse = super().redirect(
            request, process, next_url, data, auth_params=auth_params, nonce=nonce, **kwargs
        )
        return response


provider_classes = [KyivIDProvider]
