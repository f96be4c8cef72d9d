"""Which kindergartens, groups and districts a user's staff roles reach.

Kept here, not in accounts: they are querysets of kindergarten models, and
accounts sits below kindergartens in the layers (pyproject.toml), importing
nothing of it. Views never filter by hand: an object outside these is a 404.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from sadok.accounts.models import RoleKind
from sadok.accounts.selectors import AnyUser, roles_of
from sadok.kindergartens.models import District, Group, Kindergarten


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
