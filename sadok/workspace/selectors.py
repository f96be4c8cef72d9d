"""What each staff workspace shows, scoped to the person's roles (SPEC.md "People").

Every object a workspace page opens is found through one of the querysets here,
built from the person's roles: an object outside them is a 404, never a 403 that
tells it exists.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from sadok.accounts.models import Role, RoleKind, User
from sadok.accounts.selectors import AnyUser, roles_of
from sadok.allocation import GroupSpec, Position, Tier, position
from sadok.applications.models import (
    Child,
    ClaimStatus,
    DuplicateFlag,
    FlagStatus,
    Guardianship,
    PrivilegeClaim,
    RequestStatus,
    TransferRequest,
)
from sadok.kindergartens.models import (
    ChangeStatus,
    District,
    Group,
    GroupChange,
    Kindergarten,
)
from sadok.kindergartens.rules import legal_capacity
from sadok.offers.models import Offer, OfferStatus, PlaceStatus
from sadok.offers.policies import office_scope, officer_districts
from sadok.offers.selectors import group_room
from sadok.queue.selectors import (
    chosen_of,
    group_spec,
    queue_length,
    queue_read,
    standings_of,
)


@dataclass(frozen=True)
class Workspace:
    """One place a person works from: its title and address."""

    title: str
    url: str
    role: str


def workspaces_of(*, user: AnyUser) -> list[Workspace]:
    """The person's workspaces: each staff role's, then the family cabinet (everyone
    may act as a parent for their own children)."""
    if not user.is_authenticated:
        return []
    spaces: list[Workspace] = []
    roles: list[Role] = list(roles_of(user=user).order_by("kind", "pk"))
    order = {RoleKind.HEAD: 0, RoleKind.OFFICER: 1, RoleKind.ADMIN: 2}
    for role in sorted(roles, key=lambda r: order[RoleKind(r.kind)]):
        if role.kind == RoleKind.HEAD and role.kindergarten is not None:
            spaces.append(
                Workspace(
                    _("Садочок № %(n)s") % {"n": role.kindergarten.number},
                    reverse("workspace:kindergarten", args=[role.kindergarten.number]),
                    RoleKind.HEAD,
                )
            )
        elif role.kind == RoleKind.OFFICER and role.district is not None:
            spaces.append(
                Workspace(
                    _("РУО: %(d)s") % {"d": role.district.display_name},
                    reverse("workspace:district", args=[role.district.slug]),
                    RoleKind.OFFICER,
                )
            )
        elif role.kind == RoleKind.ADMIN:
            spaces.append(Workspace(_("Місто"), reverse("workspace:city"), RoleKind.ADMIN))
    spaces.append(Workspace(_("Мій кабінет"), reverse("cabinet:home"), "parent"))
    return spaces


# The head's kindergarten ------------------------------------------------------


def kindergartens_headed_by(*, user: AnyUser) -> QuerySet[Kindergarten]:
    """A head's kindergartens; the district office's and the city administrator's
    are theirs to see too (`scopes.kindergartens_managed_by`)."""
    from sadok.kindergartens.scopes import kindergartens_managed_by

    return kindergartens_managed_by(user=user).select_related("district")


@dataclass(frozen=True)
class GroupRow:
    group: Group
    capacity: int
    enrolled: int
    open_places: int
    waiting_answer: int
    documents_due: int
    queue: int
    pending_change: GroupChange | None


def kindergarten_groups(*, kindergarten: Kindergarten, today: dt.date) -> list[GroupRow]:
    """Each group with its room, its offers in flight and its queue's length today."""
    groups = list(
        Group.objects.filter(kindergarten=kindergarten)
        .select_related("specialisation")
        .annotate(
            open=Count("places", filter=Q(places__status=PlaceStatus.OPEN), distinct=True),
            waiting=Count(
                "places__offers",
                filter=Q(places__offers__status=OfferStatus.OFFERED),
                distinct=True,
            ),
            due=Count(
                "places__offers",
                filter=Q(places__offers__status=OfferStatus.ACCEPTED),
                distinct=True,
            ),
        )
    )
    pending = {
        c.group_id: c
        for c in GroupChange.objects.filter(
            kindergarten=kindergarten, status=ChangeStatus.PENDING, group__isnull=False
        )
    }
    rows = []
    for group in groups:
        room = group_room(group=group)
        rows.append(
            GroupRow(
                group=group,
                capacity=room.capacity,
                enrolled=room.enrolled,
                open_places=group.open,
                waiting_answer=group.waiting,
                documents_due=group.due,
                queue=queue_length(group=group_spec(group), at=today),
                pending_change=pending.get(group.pk),
            )
        )
    return rows


def documents_due(*, kindergarten: Kindergarten, today: dt.date, days: int) -> QuerySet[Offer]:
    """Accepted offers of the kindergarten whose documents are due by `days` from
    today (0: today), soonest first."""
    from sadok import clock

    end = dt.datetime.combine(today + dt.timedelta(days=days + 1), dt.time(), tzinfo=clock.KYIV)
    return (
        Offer.objects.filter(
            place__group__kindergarten=kindergarten,
            status=OfferStatus.ACCEPTED,
            documents_by__lt=end,
        )
        .select_related("child", "place__group")
        .order_by("documents_by")
    )


def group_changes_of(*, kindergarten: Kindergarten) -> QuerySet[GroupChange]:
    """The kindergarten's group changes waiting, and the last ones decided."""
    return (
        GroupChange.objects.filter(kindergarten=kindergarten)
        .select_related("group", "specialisation")
        .order_by("-proposed_at")[:10]
    )


# The district office -----------------------------------------------------------


def districts_of_officer(*, user: AnyUser) -> QuerySet[District]:
    return District.objects.filter(pk__in=officer_districts(user=user))


def _chose_in(district: District) -> QuerySet[Child, Any]:
    """The ids of the children who chose a kindergarten of the district, and of those
    its office registered: those it sees and decides for (`policies.office_scope`,
    `policies.may_decide_for_child`)."""
    return Child.objects.filter(office_scope([district.pk])).values("pk")


def claims_in(*, district: District) -> QuerySet[PrivilegeClaim]:
    return PrivilegeClaim.objects.filter(child__in=_chose_in(district)).select_related(
        "child", "category", "decided_by"
    )


def claims_pending_in(*, district: District) -> QuerySet[PrivilegeClaim]:
    """The district's claims waiting for a decision, oldest first."""
    return (
        claims_in(district=district)
        .filter(status=ClaimStatus.PENDING)
        .order_by("submitted_at", "pk")
    )


def flags_in(*, district: District) -> QuerySet[DuplicateFlag]:
    return DuplicateFlag.objects.filter(child__in=_chose_in(district)).select_related(
        "child", "similar_to"
    )


def flags_open_in(*, district: District) -> QuerySet[DuplicateFlag]:
    return flags_in(district=district).filter(status=FlagStatus.OPEN).order_by("created_at", "pk")


def requests_in(*, district: District) -> QuerySet[TransferRequest]:
    """Families' requests about a certificate another account registered, addressed
    to this office (the child may not have chosen any of its kindergartens)."""
    return TransferRequest.objects.filter(district=district).select_related(
        "child", "requested_by", "decided_by"
    )


def requests_pending_in(*, district: District) -> QuerySet[TransferRequest]:
    return (
        requests_in(district=district)
        .filter(status=RequestStatus.PENDING)
        .order_by("submitted_at", "pk")
    )


def guardians_of(*, child: Child) -> QuerySet[User]:
    """The accounts that hold a child now, for an officer deciding who should."""
    return User.objects.filter(guardianships__child=child).order_by("pk")


@dataclass(frozen=True)
class FlagSide:
    """One record of a flag, as the officer compares it with the other."""

    child: Child
    choices: list[Kindergarten]
    claims: int
    offers: list[Offer]
    enrolled: bool


def flag_sides(*, flag: DuplicateFlag) -> list[FlagSide]:
    """The flagged record and the record it looks like (if any), side by side: their
    kindergartens in order, how many privilege claims, live offers, an enrollment."""
    children = [c for c in (flag.child, flag.similar_to) if c is not None]
    return [
        FlagSide(
            child=child,
            choices=[c.kindergarten for c in child.choices.select_related("kindergarten")],
            claims=child.claims.count(),
            offers=list(
                child.offers.filter(status__in=(OfferStatus.OFFERED, OfferStatus.ACCEPTED))
                .select_related("place__group__kindergarten")
                .order_by("pk")
            ),
            enrolled=child.enrollments.filter(ended_on__isnull=True).exists(),
        )
        for child in children
    ]


def children_in(*, district: District) -> QuerySet[Child]:
    return Child.objects.filter(pk__in=_chose_in(district))


def group_changes_in(*, district: District) -> QuerySet[GroupChange]:
    return GroupChange.objects.filter(kindergarten__district=district).select_related(
        "kindergarten", "group", "specialisation", "proposed_by"
    )


def group_changes_pending_in(*, district: District) -> QuerySet[GroupChange]:
    return group_changes_in(district=district).filter(status=ChangeStatus.PENDING)


def registered_by(*, district: District) -> QuerySet[Child]:
    """The children the district office registered on their families' behalf, the
    latest first, each with `attached` (a family has added it to its cabinet)."""
    return (
        Child.objects.filter(registered_by_office=district)
        .annotate(attached=Exists(Guardianship.objects.filter(child=OuterRef("pk"))))
        .order_by("-created_at", "-pk")
    )


@dataclass(frozen=True)
class Counts:
    claims: int
    flags: int
    group_changes: int
    requests: int
    registered: int
    unattached: int


def district_counts(*, district: District) -> Counts:
    registered = registered_by(district=district).aggregate(
        all=Count("pk"), unattached=Count("pk", filter=Q(attached=False))
    )
    return Counts(
        claims=claims_pending_in(district=district).count(),
        flags=flags_open_in(district=district).count(),
        group_changes=group_changes_pending_in(district=district).count(),
        requests=requests_pending_in(district=district).count(),
        registered=registered["all"],
        unattached=registered["unattached"],
    )


@dataclass(frozen=True)
class WhatIf:
    """A child's position in one queue now, and as it would be with a tier."""

    kindergarten: Kindergarten
    group: Group
    now: Position
    then: Position


def positions_with_tier(*, child: Child, tier: int, today: dt.date) -> list[WhatIf]:
    """For each chosen kindergarten where the child is in a queue today, its position
    there now and with a confirmed claim of `tier` (the better of it and the tier it
    has), by the core's rule over the queue as the database reads it."""
    me = chosen_of(child=child, at=today).me
    if me is None:
        return []
    with_tier = dataclasses.replace(me, tier=min(me.tier, Tier(tier)))
    found = []
    for standing in standings_of(child=child, today=today):
        group, now = standing.group_now, standing.position_now
        if group is None or now is None:
            continue
        spec: GroupSpec = group_spec(group)
        others = [a for a in queue_read(group=spec, at=today) if a.id != me.id]
        then = position(applicants=[*others, with_tier], group=spec, at=today, applicant_id=me.id)
        if then is not None:
            found.append(WhatIf(standing.choice.kindergarten, group, now, then))
    return found


@dataclass(frozen=True)
class ChangeEffect:
    """What a group change does: the legal maximum of the proposed kind, and the
    group's queue today under its current band and under the proposed one."""

    legal_maximum: int
    queue_now: int | None
    queue_then: int


def change_effect(*, change: GroupChange, today: dt.date) -> ChangeEffect:
    specialisation = change.specialisation.slug if change.specialisation else None
    referral = change.specialisation.referral if change.specialisation else ""
    proposed = GroupSpec(
        id=0,
        kindergarten=change.kindergarten_id,
        ages=change.age_range,
        referral=referral or None,
    )
    return ChangeEffect(
        legal_maximum=legal_capacity(
            kind=change.kind,
            age_from_months=change.age_from_months,
            specialisation=specialisation,
        ),
        queue_now=queue_length(group=group_spec(change.group), at=today) if change.group else None,
        queue_then=queue_length(group=proposed, at=today),
    )


# The city ------------------------------------------------------------------------


def staff_roles() -> QuerySet[Role]:
    return Role.objects.select_related("user", "kindergarten", "district").order_by(
        "kind", "district__name", "kindergarten__number", "user__email"
    )
