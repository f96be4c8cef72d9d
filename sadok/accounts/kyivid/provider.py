"""KyivID, the city's single account, as an OpenID Connect provider of allauth.

Configured only from the environment (KYIVID_ISSUER, KYIVID_CLIENT_ID,
KYIVID_CLIENT_SECRET); authorization code with PKCE.
"""

from __future__ import annotations

from typing import Any

from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from django.http import HttpRequest
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


provider_classes = [KyivIDProvider]
