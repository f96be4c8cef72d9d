"""Reads of the parent's cabinet: a family reaches only its own children
(`children_of`). Where a child stands in its queues is read by the queue app
(`sadok.queue.selectors`).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from sadok.accounts.models import User
from sadok.applications.models import (
    Child,
    ChildStatus,
    Choice,
    PrivilegeClaim,
)
from sadok.kindergartens.models import Kindergarten


def children_of(*, user: User) -> QuerySet[Child]:
    """The children of whom `user` is a guardian; a closed record (a duplicate merged
    into the record kept, a fake) is no longer the family's to see or change."""
    if not user.is_authenticated:
        return Child.objects.none()
    return (
        Child.objects.filter(guardianships__user=user)
        .exclude(status=ChildStatus.CLOSED)
        .order_by("created_at")
    )


def choices_of(*, child: Child) -> QuerySet[Choice]:
    return child.choices.select_related("kindergarten", "kindergarten__district").order_by("rank")


def claims_of(*, child: Child) -> QuerySet[PrivilegeClaim]:
    return child.claims.select_related("category")


def claims_readable_by(*, user: User) -> QuerySet[PrivilegeClaim]:
    """Claims whose document `user` may open: the family's own, and for district
    officers (with MFA) the claims of children who chose a kindergarten of their
    district. Nobody else: not heads, not the city administrator."""
    from sadok.accounts import selectors as access
    from sadok.accounts.models import RoleKind

    if not user.is_authenticated:
        return PrivilegeClaim.objects.none()
    readable = Q(child__guardianships__user=user)
    if access.has_mfa(user=user):
        districts = access.roles_of(user=user).filter(kind=RoleKind.OFFICER).values("district")
        readable |= Q(child__choices__kindergarten__district__in=districts)
    return PrivilegeClaim.objects.filter(readable).distinct()


def kindergarten_search(*, text: str, exclude: Iterable[int] = ()) -> QuerySet[Kindergarten]:
    from sadok import clock
    from sadok.kindergartens.selectors import DirectoryFilter, kindergartens_filtered

    return kindergartens_filtered(
        filters=DirectoryFilter(search=text), today=clock.today()
    ).exclude(pk__in=list(exclude))
