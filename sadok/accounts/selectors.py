"""Who may see or change what: the one place that answers it (SPEC.md "People").

Views never filter by hand: they ask these selectors for the querysets a user
may reach, and an object outside them is a 404.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from sadok.accounts.models import Role, RoleKind, User
from sadok.kindergartens.models import District, Group, Kindergarten

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


def kindergartens_managed_by(*, user: AnyUser) -> QuerySet[Kindergarten]:
    """Kindergartens whose page and groups the user may edit.

    The city administrator: all of them; a district officer: the district's; a
    head: their own.
    """
    roles = roles_of(user=user)
    if roles.filter(kind=RoleKind.ADMIN).exists():
        return Kindergarten.objects.all()
    head_of = roles.filter(kind=RoleKind.HEAD).values("kindergarten")
    officer_of = roles.filter(kind=RoleKind.OFFICER).values("district")
    return Kindergarten.objects.filter(Q(pk__in=head_of) | Q(district__in=officer_of))


def groups_managed_by(*, user: AnyUser) -> QuerySet[Group]:
    return Group.objects.filter(kindergarten__in=kindergartens_managed_by(user=user))


def districts_managed_by(*, user: AnyUser) -> QuerySet[District]:
    roles = roles_of(user=user)
    if roles.filter(kind=RoleKind.ADMIN).exists():
        return District.objects.all()
    return District.objects.filter(pk__in=roles.filter(kind=RoleKind.OFFICER).values("district"))
