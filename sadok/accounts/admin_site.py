from __future__ import annotations

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from sadok.accounts import selectors


class SadokAdminSite(admin.AdminSite):
    """The admin is the city administrator's tool: reached through allauth's login
    (so MFA applies) and only by a user holding the administrator role with MFA.
    Django records every change made here in its admin log.
    """

    site_header = "Sadok — адміністрування"
    site_title = "Sadok"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(
            user.is_active and selectors.is_city_admin(user=user) and selectors.has_mfa(user=user)
        )

    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        return secure_admin_login(super().login)(request, extra_context)
