"""The domain events of places, offers and groups (`sadok.journal`), built from the
rows the offers' services hold."""

from __future__ import annotations

from typing import Any

from sadok.applications.models import PrivilegeClaim
from sadok.journal.services import Fact
from sadok.kindergartens.models import Group
from sadok.offers.models import Offer, Place
from sadok.queue.selectors import group_spec


def offer_fact(kind: str, offer: Offer, *, reason: str = "") -> Fact:
    """An event about `offer` (its place's group and the child read with it)."""
    group = offer.place.group
    return Fact(
        kind=kind,
        child_id=offer.child_id,
        application_number=offer.child.application_number,
        kindergarten_id=group.kindergarten_id,
        group_id=group.pk,
        place_id=offer.place_id,
        offer_id=offer.pk,
        reason=reason,
    )


def place_fact(kind: str, place: Place, group: Group, *, reason: str = "") -> Fact:
    data: dict[str, Any] = {}
    if place.wave_date is not None:
        data["wave_date"] = place.wave_date.isoformat()
    return Fact(
        kind=kind,
        kindergarten_id=group.kindergarten_id,
        group_id=group.pk,
        place_id=place.pk,
        reason=reason,
        data=data,
    )


def group_data(group: Group) -> dict[str, Any]:
    """What the queue depends on of a group: its band, kind, capacity and referral."""
    return {
        "age_from_months": group.age_from_months,
        "age_to_months": group.age_to_months,
        "kind": group.kind,
        "capacity": group.capacity,
        "specialisation": group.specialisation_id,
        "referral": group_spec(group).referral,
    }


def group_fact(kind: str, group: Group) -> Fact:
    """A group's creation or change (the head's written reason for a capacity above
    the law stays on the group; the event says only that there is one)."""
    return Fact(
        kind=kind,
        kindergarten_id=group.kindergarten_id,
        group_id=group.pk,
        reason="over_legal_capacity" if group.over_legal_reason else "",
        data=group_data(group),
    )


def claim_fact(kind: str, claim: PrivilegeClaim, reason: str = "") -> Fact:
    return Fact(
        kind=kind,
        child_id=claim.child_id,
        application_number=claim.child.application_number,
        reason=reason,
        data={"what": claim.category.tier, "category": claim.category.code},
    )
