"""Children as the allocation engine sees them (`sadok.allocation.Applicant`).

Read with flat `values_list` queries, never model instances: the September wave
reads the whole city (120,000 children, 600,000 choices) and the head's "+N"
runs inside a web request.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import cast

from django.db.models import Exists, OuterRef, Q

from sadok.allocation import Applicant, Tier
from sadok.applications.models import (
    Child,
    ChildStatus,
    Choice,
    ClaimStatus,
    DuplicateFlag,
    FlagStatus,
    Guardianship,
    PrivilegeClaim,
    Referral,
)
from sadok.kindergartens.models import Enrollment

# Above this many children, the other queries join on the children's query
# instead of sending their ids.
_LIST_LIMIT = 10_000


def applicants_for(*, kindergartens: Iterable[int] | None, at: dt.date) -> list[Applicant]:
    """Every registered child who chose one of `kindergartens` (None: the whole city)."""
    children = Child.objects.filter(registered_at__isnull=False)
    if kindergartens is not None:
        chose = Choice.objects.filter(child=OuterRef("pk"), kindergarten__in=list(kindergartens))
        children = children.filter(Exists(chose))
    rows = list(
        children.values_list("pk", "born", "registered_at", "lottery", "status", "keep_waiting")
    )
    ids = [row[0] for row in rows]
    if kindergartens is None:
        in_ids = Q()
    elif len(ids) <= _LIST_LIMIT:
        in_ids = Q(child__in=ids)  # a few thousand ids: an index lookup each
    else:
        in_ids = Q(child__in=children.values("pk"))  # a semi-join beats a huge list

    choices: defaultdict[int, list[int]] = defaultdict(list)
    for child_id, kindergarten_id in (
        Choice.objects.filter(in_ids)
        .order_by("child_id", "rank")
        .values_list("child_id", "kindergarten_id")
    ):
        choices[child_id].append(kindergarten_id)

    tiers: dict[int, Tier] = {}
    valid = Q(valid_until__isnull=True) | Q(valid_until__gte=at)
    for child_id, tier in PrivilegeClaim.objects.filter(
        in_ids, valid, status=ClaimStatus.CONFIRMED
    ).values_list("child_id", "category__tier"):
        tiers[child_id] = min(Tier(tier), tiers.get(child_id, Tier.NONE))

    referrals: defaultdict[int, set[str]] = defaultdict(set)
    for child_id, kind in Referral.objects.filter(in_ids, valid).values_list("child_id", "kind"):
        referrals[child_id].add(kind)

    flagged = set(
        DuplicateFlag.objects.filter(in_ids, status=FlagStatus.OPEN).values_list(
            "child_id", flat=True
        )
    )
    verified = set(
        Guardianship.objects.filter(
            in_ids, user__phone_verified=True, user__emailaddress__verified=True
        ).values_list("child_id", flat=True)
    )
    held = _held_kindergartens(in_ids)
    return [
        Applicant(
            id=pk,
            born=born,
            registered_at=cast(dt.datetime, registered_at),  # filtered: not null
            lottery=lottery,
            tier=tiers.get(pk, Tier.NONE),
            choices=tuple(choices[pk]),
            referrals=frozenset(referrals[pk]),
            active=status == ChildStatus.ACTIVE,
            verified=pk in verified,
            flagged=pk in flagged,
            enrolled_in=_best_held(held.get(pk, ()), choices[pk]),
            keep_waiting=keep_waiting,
        )
        for pk, born, registered_at, lottery, status, keep_waiting in rows
    ]


def _held_kindergartens(in_ids: Q) -> dict[int, list[int]]:
    """Where a child already has a place: its group now, or an accepted offer
    (documents on their way). Either way it waits only for kindergartens it
    ranked higher, and only when the family asked to keep waiting."""
    from sadok.offers.models import Offer, OfferStatus

    held: defaultdict[int, list[int]] = defaultdict(list)
    for child_id, kindergarten_id in Enrollment.objects.filter(
        in_ids, child__isnull=False, ended_on__isnull=True
    ).values_list("child_id", "group__kindergarten_id"):
        held[child_id].append(kindergarten_id)
    for child_id, kindergarten_id in Offer.objects.filter(
        in_ids, status=OfferStatus.ACCEPTED
    ).values_list("child_id", "place__group__kindergarten_id"):
        held[child_id].append(kindergarten_id)
    return held


def _best_held(held: Iterable[int], ranked: list[int]) -> int | None:
    return min(held, key=lambda k: ranked.index(k) if k in ranked else len(ranked), default=None)
