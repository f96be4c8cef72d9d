"""The district office resolves a duplicate flag (SPEC.md "Duplicate and fake control"):
two different children (`flag_clear`, in `district`), one child recorded twice
(`flag_merge`), or a record of no real child (`flag_fake`).

Each decision is taken as the office's others are (`district`): the officer is
checked (`policies.child_officer_required`), the flag is locked and refused when
already decided ("decided"), the reason code comes with a written note, and the
children's records are refreshed through the door (`door.queue_changes`) with the
events of what changed, carrying the reason code. See docs/queue-rules.md §8.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from sadok import clock
from sadok.accounts.models import User
from sadok.applications.models import (
    Child,
    ChildStatus,
    Choice,
    DecisionReason,
    DuplicateFlag,
    FlagStatus,
    GuardianInvitation,
    Guardianship,
    LegacyRecord,
    PrivilegeClaim,
    Referral,
    RequestStatus,
    TransferRequest,
)
from sadok.journal.models import EventKind
from sadok.journal.services import Actor, Fact, events_append
from sadok.kindergartens.models import Enrollment
from sadok.offers import engine
from sadok.offers.district import FLAG_CLEAR_REASONS, _officer, _reason_check, flag_clear
from sadok.offers.door import queue_changes
from sadok.offers.events import OfferEvent, offer_events_record
from sadok.offers.facts import offer_fact
from sadok.offers.models import AllocationRun, Offer, OfferStatus, Place, PlaceStatus
from sadok.offers.policies import child_officer_required
from sadok.offers.states import Event, next_status

__all__ = [
    "FLAG_CLEAR_REASONS",
    "FLAG_FAKE_REASONS",
    "FLAG_MERGE_REASONS",
    "flag_clear",
    "flag_fake",
    "flag_merge",
    "merged_choices",
]

FLAG_MERGE_REASONS = (DecisionReason.SAME_CHILD, DecisionReason.OTHER)
FLAG_FAKE_REASONS = (DecisionReason.NOT_A_REAL_CHILD, DecisionReason.OTHER)


def _open_flag(flag: DuplicateFlag) -> DuplicateFlag:
    locked = DuplicateFlag.objects.select_for_update().get(pk=flag.pk)
    if locked.status != FlagStatus.OPEN:
        raise ValidationError(
            _("Цю позначку вже перевірено (%(status)s).") % {"status": locked.get_status_display()},
            code="decided",
        )
    return locked


def _resolve(flags: list[int], status: str, user: User | None, reason: str, note: str) -> None:
    DuplicateFlag.objects.filter(pk__in=flags, status=FlagStatus.OPEN).update(
        status=status,
        resolved_at=clock.now(),
        resolved_by=user,
        decision_reason=reason,
        decision_note=note,
    )


def _withdraw(offer: Offer, why: str, code: str, actor: Actor, *, tell: bool) -> None:
    """An open offer ends by the office's decision (`why` for the family, `code` for
    the journal); its place is offered on by `_reoffer`. `tell`: the family hears of
    it (not the family of a record that is no child)."""
    offer.status = next_status(offer.status, Event.WITHDRAW)
    offer.closed_at, offer.closed_reason = clock.now(), why
    offer.save(update_fields=["status", "closed_at", "closed_reason"])
    if tell:
        offer_events_record(offers=[offer.pk], event=OfferEvent.WITHDRAWN)
    events_append(facts=[offer_fact(EventKind.OFFER_WITHDRAWN, offer, reason=code)], actor=actor)


def _reoffer(places: list[Place], actor: Actor) -> None:
    if places:
        Place.objects.filter(pk__in=[p.pk for p in places]).update(status=PlaceStatus.OPEN)
        engine.allocation_run(places=places, kind=AllocationRun.Kind.REOFFER, actor=actor)


def _close(child: Child, why: str, into: Child | None = None) -> None:
    child.status = ChildStatus.CLOSED
    child.status_changed_at = clock.now()
    child.status_reason = why[:255]
    child.merged_into = into
    child.save(update_fields=["status", "status_changed_at", "status_reason", "merged_into"])


def merged_choices(kept: list[int], other: list[int]) -> list[int]:
    """The kindergartens of a merged record: the kept record's in its own order, then
    the other's not already there, in the other's order."""
    return [*kept, *(k for k in other if k not in kept)]


def _older_first(first: Child, second: Child) -> tuple[Child, Child]:
    """(kept, closed): the earlier registration date stays; with none or the same,
    the older record."""
    kept, other = sorted(
        (first, second),
        key=lambda c: (
            c.registered_at is None,
            c.registered_at or c.created_at,
            c.created_at,
            c.pk,
        ),
    )
    return kept, other


def _holds(child: Child) -> bool:
    """Whether the child has a place: an accepted offer or a current enrollment."""
    return (
        Offer.objects.filter(child=child, status=OfferStatus.ACCEPTED).exists()
        or Enrollment.objects.filter(child=child, ended_on__isnull=True).exists()
    )


def flag_merge(*, flag: DuplicateFlag, user: User | None, reason: str, note: str) -> Child:
    """One child recorded twice: the two records become one, and nothing the family
    had is lost. The record kept is the one registered earlier (with the same date or
    none, the older one) and takes the earlier date; its kindergartens come first in
    their order, then the other's not already there; claims, referrals, guardians,
    codes, requests, the old system's record and a place held or offered move to it.
    With an open offer on each, the one ranked higher in the merged list stays and the
    other is withdrawn and offered on. The other record is closed for good (`merged_into`),
    its certificate blocks nothing, and both records' histories name each other
    (`records_merged`). Refused when both hold a place (a head must free one first).
    Returns the record kept."""
    if flag.similar_to_id is None:
        raise ValidationError(
            _("Цю позначку поставлено без схожого запису: об'єднувати нема з чим."),
            code="no_pair",
        )
    child_officer_required(actor=user, child_id=flag.child_id)
    note = _reason_check(reason, FLAG_MERGE_REASONS, note)
    actor = _officer(user)
    with queue_changes(actor) as touched:
        touched.reason = reason
        engine.serialize_allocations()
        locked = _open_flag(flag)
        pair = list(
            Child.objects.select_for_update()
            .filter(pk__in=(locked.child_id, locked.similar_to_id))
            .order_by("pk")
        )
        if len(pair) != 2 or any(c.status == ChildStatus.CLOSED for c in pair):
            raise ValidationError(
                _("Один із записів уже знято з обліку: зніміть позначку як помилкову."),
                code="closed",
            )
        kept, other = _older_first(*pair)
        if _holds(kept) and _holds(other):
            raise ValidationError(
                _(
                    "Обидва записи вже мають місце в садочку (прийняту пропозицію чи "
                    "зарахування). Спершу керівник одного із садочків має звільнити місце."
                ),
                code="both_hold",
            )
        touched.add(kept.pk, other.pk)
        now = clock.now()
        # The list: the kept record's order, then the other's kindergartens appended.
        have = list(Choice.objects.filter(child=kept).order_by("rank"))
        known = {c.kindergarten_id for c in have}
        rank = len(have)
        for choice in Choice.objects.filter(child=other).order_by("rank"):
            if choice.kindergarten_id not in known:
                rank += 1
                Choice.objects.create(
                    child=kept, kindergarten_id=choice.kindergarten_id, rank=rank, added_at=now
                )
                known.add(choice.kindergarten_id)
        ranks = dict(Choice.objects.filter(child=kept).values_list("kindergarten_id", "rank"))
        # Open offers: one per child (offer_one_open_per_child); the higher-ranked stays.
        offered = list(
            Offer.objects.select_for_update()
            .filter(child__in=(kept, other), status=OfferStatus.OFFERED)
            .select_related("place__group", "child")
        )
        offered.sort(key=lambda o: (ranks.get(o.place.group.kindergarten_id, 10**6), o.pk))
        losing = offered[1:]
        why = str(_("записи дитини об'єднано: лишилася інша пропозиція"))
        for offer in losing:
            _withdraw(offer, why, EventKind.RECORDS_MERGED, actor, tell=True)
        moved = [o.pk for o in offered[:1] if o.child_id == other.pk]
        Offer.objects.filter(
            child=other, status__in=(OfferStatus.OFFERED, OfferStatus.ACCEPTED)
        ).exclude(pk__in=[o.pk for o in losing]).update(child=kept)
        Enrollment.objects.filter(child=other, ended_on__isnull=True).update(child=kept)
        PrivilegeClaim.objects.filter(child=other).update(child=kept)
        Referral.objects.filter(child=other).update(child=kept)
        GuardianInvitation.objects.filter(child=other).update(child=kept)
        for guardianship in Guardianship.objects.filter(child=other):
            Guardianship.objects.get_or_create(
                child=kept, user_id=guardianship.user_id, defaults={"since": guardianship.since}
            )
        Guardianship.objects.filter(child=other).delete()
        asked = TransferRequest.objects.filter(child=kept, status=RequestStatus.PENDING)
        TransferRequest.objects.filter(child=other).exclude(
            status=RequestStatus.PENDING, requested_by__in=asked.values("requested_by")
        ).update(child=kept)
        if not LegacyRecord.objects.filter(claimed_by=kept).exists():
            LegacyRecord.objects.filter(claimed_by=other).update(claimed_by=kept)
        if other.registered_at is not None and (
            kept.registered_at is None or other.registered_at < kept.registered_at
        ):
            kept.registered_at = other.registered_at
        kept.save(update_fields=["registered_at"])
        _close(
            other,
            str(_("дублікат: записи об'єднано із заявою %(n)s") % {"n": kept.application_number}),
            into=kept,
        )
        _certificate_release(kept)
        # This flag, and every other open one between the two, is decided; a third
        # record's flag against the closed one now points to the record kept.
        between = DuplicateFlag.objects.filter(
            Q(child=kept, similar_to=other) | Q(child=other)
        ).values_list("pk", flat=True)
        _resolve([locked.pk, *between], FlagStatus.CONFIRMED, user, reason, note)
        DuplicateFlag.objects.filter(similar_to=other, status=FlagStatus.OPEN).exclude(
            child=kept
        ).update(similar_to=kept)
        events_append(
            facts=[
                Fact(
                    kind=EventKind.RECORDS_MERGED,
                    child_id=kept.pk,
                    application_number=kept.application_number,
                    reason=reason,
                    data={"closed": other.pk, "closed_number": other.application_number},
                ),
                Fact(
                    kind=EventKind.RECORDS_MERGED,
                    child_id=other.pk,
                    application_number=other.application_number,
                    reason=reason,
                    data={"into": kept.pk, "into_number": kept.application_number, "offers": moved},
                ),
            ],
            actor=actor,
        )
        _reoffer([o.place for o in losing], actor)
    return kept


def _certificate_release(kept: Child) -> None:
    """A record held because another had its certificate is released once no other
    open record has it (the other was just closed)."""
    if not kept.certificate_held:
        return
    taken = (
        Child.objects.filter(certificate_key=kept.certificate_key, certificate_held=False)
        .exclude(status=ChildStatus.CLOSED)
        .exclude(pk=kept.pk)
    )
    if not taken.exists():
        kept.certificate_held = False
        kept.save(update_fields=["certificate_held"])


def flag_fake(*, flag: DuplicateFlag, user: User | None, reason: str, note: str) -> Child:
    """The flagged record is of no real child (or not the family's): it is closed for
    good and leaves every queue; an open offer is withdrawn and offered on. Refused
    while it holds a place: the head ends the enrollment (or the documents' deadline
    passes) first."""
    child_officer_required(actor=user, child_id=flag.child_id)
    note = _reason_check(reason, FLAG_FAKE_REASONS, note)
    actor = _officer(user)
    with queue_changes(actor) as touched:
        touched.reason = reason
        engine.serialize_allocations()
        locked = _open_flag(flag)
        child = Child.objects.select_for_update().get(pk=locked.child_id)
        if child.status == ChildStatus.CLOSED:
            raise ValidationError(_("Цей запис уже знято з обліку."), code="closed")
        if _holds(child):
            raise ValidationError(
                _(
                    "За цим записом дитина має місце в садочку (прийняту пропозицію чи "
                    "зарахування). Спершу керівник садочка має відрахувати дитину, або має "
                    "минути строк подання документів; тоді зніміть запис з обліку."
                ),
                code="holds_place",
            )
        touched.add(child.pk)
        offered = list(
            Offer.objects.select_for_update()
            .filter(child=child, status=OfferStatus.OFFERED)
            .select_related("place__group", "child")
        )
        for offer in offered:
            _withdraw(offer, str(DecisionReason(reason).label), reason, actor, tell=False)
        _close(child, str(DecisionReason(reason).label))
        _resolve(
            list(DuplicateFlag.objects.filter(child=child).values_list("pk", flat=True)),
            FlagStatus.FAKE,
            user,
            reason,
            note,
        )
        _reoffer([o.place for o in offered], actor)
    return child
