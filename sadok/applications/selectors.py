"""Reads of the parent's cabinet and the engine's view of the children.

A family reaches only its own children (`children_of`). Positions in queues
come from `sadok.allocation` over applicants built here: there is one
implementation of the queue rule, and the cabinet calls it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from sadok.accounts.models import User
from sadok.allocation.model import Applicant, GroupSpec, Reason
from sadok.allocation.queue import Position, eligibility, position
from sadok.applications.applicants import applicants_for
from sadok.applications.models import (
    Child,
    Choice,
    PrivilegeClaim,
)
from sadok.kindergartens.models import Group, Kindergarten


def children_of(*, user: User) -> QuerySet[Child]:
    """The children of whom `user` is a guardian."""
    if not user.is_authenticated:
        return Child.objects.none()
    return Child.objects.filter(guardianships__user=user).order_by("created_at")


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


# -- the engine's view of children ----------------------------------------------------


def group_spec(group: Group) -> GroupSpec:
    referral = group.specialisation.referral if group.specialisation else ""
    return GroupSpec(
        id=group.pk,
        kindergarten=group.kindergarten_id,
        ages=group.age_range,
        referral=referral or None,
    )


@dataclass(frozen=True)
class ChoiceStanding:
    """Where a child stands at one chosen kindergarten, now and on 1 September."""

    choice: Choice
    group_now: Group | None
    position_now: Position | None
    reason_now: Reason
    group_september: Group | None
    position_september: Position | None


def next_september(today: dt.date) -> dt.date:
    this_year = dt.date(today.year, 9, 1)
    return this_year if today <= this_year else dt.date(today.year + 1, 9, 1)


def standings_of(*, child: Child, today: dt.date) -> list[ChoiceStanding]:
    """For each chosen kindergarten: the group matching the child's age now and on
    1 September, and its position there (SPEC.md "The queue")."""
    choices = list(choices_of(child=child))
    if not choices:
        return []
    kindergartens = [c.kindergarten_id for c in choices]
    groups = list(
        Group.objects.filter(kindergarten__in=kindergartens).select_related("specialisation")
    )
    september = next_september(today)
    applicants_now = applicants_for(kindergartens=kindergartens, at=today)
    me = next((a for a in applicants_now if a.id == child.pk), None)
    applicants_sept = applicants_for(kindergartens=kindergartens, at=september) if me else []
    standings = []
    for choice in choices:
        mine = [g for g in groups if g.kindergarten_id == choice.kindergarten_id]
        now_group, now_position, now_reason = _best_group(me, mine, applicants_now, today)
        sept_group, sept_position, _ = _best_group(
            next((a for a in applicants_sept if a.id == child.pk), None),
            mine,
            applicants_sept,
            september,
        )
        standings.append(
            ChoiceStanding(choice, now_group, now_position, now_reason, sept_group, sept_position)
        )
    return standings


def _best_group(
    me: Applicant | None, groups: list[Group], applicants: list[Applicant], at: dt.date
) -> tuple[Group | None, Position | None, Reason]:
    """The group of this kindergarten where the child stands best, with why not if none."""
    if me is None:
        return None, None, Reason.NOT_ELIGIBLE_NOT_APPLIED
    best: tuple[Group | None, Position | None] = (None, None)
    reasons = []
    for group in sorted(groups, key=lambda g: (g.specialisation_id is not None, g.pk)):
        spec = group_spec(group)
        reason = eligibility(applicant=me, group=spec, at=at)
        reasons.append(reason)
        if reason != Reason.ELIGIBLE:
            continue
        found = position(applicants=applicants, group=spec, at=at, applicant_id=me.id)
        if found is not None and (best[1] is None or found.place < best[1].place):
            best = (group, found)
    if best[0] is not None:
        return best[0], best[1], Reason.ELIGIBLE
    # Why not: the most telling reason (status first, then age).
    return (
        None,
        None,
        min(reasons, key=lambda r: _REASON_WEIGHT.get(r, 99), default=Reason.NOT_ELIGIBLE_AGE),
    )


_REASON_WEIGHT = {
    Reason.NOT_ELIGIBLE_INACTIVE: 0,
    Reason.NOT_ELIGIBLE_FLAGGED: 1,
    Reason.NOT_ELIGIBLE_UNVERIFIED: 2,
    Reason.NOT_ELIGIBLE_ENROLLED: 3,
    Reason.NOT_ELIGIBLE_AGE: 4,
    Reason.NOT_ELIGIBLE_NO_REFERRAL: 5,
    Reason.NOT_ELIGIBLE_NOT_APPLIED: 6,
}


def kindergarten_search(*, text: str, exclude: Iterable[int] = ()) -> QuerySet[Kindergarten]:
    from sadok import clock
    from sadok.kindergartens.selectors import DirectoryFilter, kindergartens_filtered

    return kindergartens_filtered(
        filters=DirectoryFilter(search=text), today=clock.today()
    ).exclude(pk__in=list(exclude))
