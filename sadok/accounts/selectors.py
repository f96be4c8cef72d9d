"""Who holds which staff roles (SPEC.md "People").

The kindergartens, groups and districts those roles reach are querysets of
kindergarten models, so they live in `sadok.kindergartens.scopes`: accounts sits
below kindergartens and imports nothing of it.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from sadok.accounts.models import Role, RoleKind, User

AnyUser = User | AnonymousUser


def roles_of(*, user: AnyUser) -> QuerySet[Role]:
    if not user.is_authenticated:
        return Role.objects.none()
    return Role.objects.filter(user=user, user__is_active=True).select_related(
        "kindergarten", "district"
    )


def is_city_admin(*, user: AnyUser) -> bool:
    return roles_of(user=user).filter(kind=RoleKind.ADMIN).exists()


def is_staff_member(*, user: AnyUser) -> bool:
    """Heads, district officers and city administrators: every role that must use MFA."""
    return roles_of(user=user).exists()


def has_mfa(*, user: AnyUser) -> bool:
    from allauth.mfa.models import Authenticator

    if not user.is_authenticated:
        return False
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
