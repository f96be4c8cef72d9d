"""Appending domain events, in the caller's transaction (one insert, or one COPY for
many: the September wave writes tens of thousands)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sadok import clock
from sadok.accounts.models import RoleKind, User
from sadok.accounts.selectors import roles_of
from sadok.bulk import rows_insert
from sadok.journal.models import ActorRole, Event


@dataclass(frozen=True)
class Actor:
    """Who acts, and in which capacity; `user` None is the system itself (the sweep,
    the nightly run, the wave's command, imports)."""

    user: User | None
    role: ActorRole

    @property
    def user_id(self) -> int | None:
        return self.user.pk if self.user is not None else None


SYSTEM = Actor(None, ActorRole.SYSTEM)
_STAFF = {
    RoleKind.HEAD: ActorRole.HEAD,
    RoleKind.OFFICER: ActorRole.OFFICER,
    RoleKind.ADMIN: ActorRole.ADMIN,
}


def actor_as(user: User | None, role: ActorRole) -> Actor:
    """`user` acting as `role` (the service knows the capacity: a head declares, a
    parent answers); None is the system."""
    return SYSTEM if user is None else Actor(user, role)


def actor_staff(user: User | None) -> Actor:
    """A staff member in the capacity of their highest role (the admin's pages, where
    the page does not say which): administrator, then officer, then head."""
    if user is None:
        return SYSTEM
    kinds = set(roles_of(user=user).values_list("kind", flat=True))
    for kind in (RoleKind.ADMIN, RoleKind.OFFICER, RoleKind.HEAD):
        if kind in kinds:
            return Actor(user, _STAFF[kind])
    return Actor(user, ActorRole.PARENT)


@dataclass(frozen=True)
class Fact:
    """One event to append (see `Event`)."""

    kind: str
    child_id: int | None = None
    application_number: str = ""
    kindergarten_id: int | None = None
    group_id: int | None = None
    place_id: int | None = None
    offer_id: int | None = None
    reason: str = ""
    data: dict[str, Any] = field(default_factory=dict)


_COLUMNS = (
    "at",
    "kind",
    "actor_role",
    "actor_id",
    "child_id",
    "application_number",
    "kindergarten_id",
    "group_id",
    "place_id",
    "offer_id",
    "reason",
    "data",
)


def events_append(*, facts: Iterable[Fact], actor: Actor, at: dt.datetime | None = None) -> None:
    """Append `facts` as events by `actor` at `at` (now), in the caller's transaction."""
    moment = at or clock.now()
    rows_insert(
        Event,
        _COLUMNS,
        (
            (
                moment,
                str(f.kind),
                str(actor.role),
                actor.user_id,
                f.child_id,
                f.application_number,
                f.kindergarten_id,
                f.group_id,
                f.place_id,
                f.offer_id,
                f.reason,
                f.data,
            )
            for f in facts
        ),
    )
