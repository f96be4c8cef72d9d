"""Who may change a group's places, offers and list (SPEC.md "People"): the one place
that answers it for the offers' services, which refuse everyone else; the views ask
the same questions only to show or hide a button.

An actor is a person, or `None` for the system itself: the deadline sweep, the
nightly run, imports and the demo, which act by the public rules alone.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from sadok.accounts.models import RoleKind, User
from sadok.accounts.selectors import AnyUser, roles_of
from sadok.applications.models import Child
from sadok.kindergartens import scopes
from sadok.kindergartens.models import Kindergarten


class Denied(enum.StrEnum):
    """Why an actor may not do it (kept in logs and shown as a sentence)."""

    NOT_HEAD = "not_head"
    NOT_MANAGER = "not_manager"
    NOT_GUARDIAN = "not_guardian"
    NOT_CHILDS_OFFICER = "not_childs_officer"
    NOT_DISTRICT_OFFICER = "not_district_officer"
    NOT_REQUEST_OFFICER = "not_request_officer"


_SENTENCES = {
    Denied.NOT_HEAD: _("Це може зробити лише керівник цього садочка."),
    Denied.NOT_MANAGER: _("Групи цього садочка змінює його керівник або РУО району."),
    Denied.NOT_GUARDIAN: _("Це може зробити лише хтось із батьків цієї дитини."),
    Denied.NOT_CHILDS_OFFICER: _(
        "Це вирішує РУО району, де дитина обрала садочок: у вас немає такої ролі."
    ),
    Denied.NOT_DISTRICT_OFFICER: _("Зміни груп цього садочка затверджує РУО його району."),
    Denied.NOT_REQUEST_OFFICER: _("Це звернення розглядає РУО району, до якого звернулася родина."),
}


class Refused(PermissionDenied):
    """A service refused an actor; `reason` says why."""

    def __init__(self, reason: Denied) -> None:
        self.reason = reason
        super().__init__(str(_SENTENCES[reason]))


def may_run_group(*, user: AnyUser, kindergarten_id: int) -> bool:
    """Heads run their kindergarten's groups: declare places, confirm documents, take
    a child off the list. Officers and the city administrator see, but do not run."""
    return roles_of(user=user).filter(kind=RoleKind.HEAD, kindergarten=kindergarten_id).exists()


def run_group_required(*, actor: User | None, kindergarten_id: int) -> None:
    if actor is not None and not may_run_group(user=actor, kindergarten_id=kindergarten_id):
        raise Refused(Denied.NOT_HEAD)


def edit_groups_required(*, actor: User | None, kindergarten_id: int) -> None:
    """A kindergarten's groups are created and changed by its head, its district
    office or the city administrator (`scopes.kindergartens_managed_by`)."""
    if actor is None:
        return
    if not scopes.kindergartens_managed_by(user=actor).filter(pk=kindergarten_id).exists():
        raise Refused(Denied.NOT_MANAGER)


def guardian_required(*, actor: User | None, child_id: int) -> None:
    """A family's changes to its child's queue are made by one of its guardians."""
    if actor is not None and not actor.guardianships.filter(child_id=child_id).exists():
        raise Refused(Denied.NOT_GUARDIAN)


def officer_districts(*, user: AnyUser) -> list[int]:
    """The districts whose education office `user` works for."""
    return list(
        roles_of(user=user).filter(kind=RoleKind.OFFICER).values_list("district", flat=True)
    )


def office_scope(districts: Iterable[int] | QuerySet[Any]) -> Q:
    """The children the offices of `districts` see and decide for, as a filter on
    children: those that chose a kindergarten of the district, and those the office
    registered on the family's behalf (before they chose one there too)."""
    return Q(choices__kindergarten__district__in=districts) | Q(registered_by_office__in=districts)


def may_decide_for_child(*, user: AnyUser, child_id: int) -> bool:
    """A child's privileges, referrals and flags are decided by the office of a
    district where the family chose a kindergarten (the office that sees the claim,
    `applications.selectors.claims_readable_by`), or the office that registered it."""
    districts = officer_districts(user=user)
    return bool(districts) and (Child.objects.filter(office_scope(districts), pk=child_id).exists())


def child_officer_required(*, actor: User | None, child_id: int) -> None:
    if actor is not None and not may_decide_for_child(user=actor, child_id=child_id):
        raise Refused(Denied.NOT_CHILDS_OFFICER)


def may_approve_groups(*, user: AnyUser, kindergarten_id: int) -> bool:
    """A kindergarten's group changes are approved by its district's office."""
    return Kindergarten.objects.filter(
        pk=kindergarten_id, district__in=officer_districts(user=user)
    ).exists()


def group_officer_required(*, actor: User | None, kindergarten_id: int) -> None:
    if actor is not None and not may_approve_groups(user=actor, kindergarten_id=kindergarten_id):
        raise Refused(Denied.NOT_DISTRICT_OFFICER)


def request_officer_required(*, actor: User | None, district_id: int) -> None:
    """A family's request about a certificate is decided by the office it asked."""
    if actor is not None and district_id not in officer_districts(user=actor):
        raise Refused(Denied.NOT_REQUEST_OFFICER)
