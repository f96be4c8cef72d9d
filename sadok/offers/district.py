"""The district office's decisions (SPEC.md "People", "Privileges"): privilege
claims, referrals, duplicate flags and the kindergartens' group changes.

Each is a service that takes the officer, checks that this officer may decide it
(`policies`), locks the row it decides (two officers deciding the same claim at
once: the second is told it is decided), records who decided, when, with a reason
code and, where the family must be told why, a written reason, and goes through
the door (`door.queue_changes`): the child's record is refreshed with the events of
what changed, carrying the reason code, and an open place the child now fits is
offered at once. A tier changes only through a claim decision: there is no free
edit of it anywhere.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from sadok import clock
from sadok.accounts.models import User
from sadok.applications.models import (
    Child,
    ClaimStatus,
    DecisionReason,
    DuplicateFlag,
    FlagStatus,
    PrivilegeClaim,
    Referral,
)
from sadok.journal.models import ActorRole, EventKind
from sadok.journal.services import Actor, Fact, actor_as, events_append
from sadok.kindergartens.models import ChangeStatus, Group, GroupChange, ReferralKind
from sadok.kindergartens.rules import band_problem
from sadok.offers import engine
from sadok.offers.door import queue_changes
from sadok.offers.facts import claim_fact, group_data, group_fact
from sadok.offers.models import AllocationRun
from sadok.offers.policies import child_officer_required, group_officer_required
from sadok.offers.services import capacity_check
from sadok.offers.settle import places_unreserved

# The reasons an officer may give for each decision (the form offers these).
REJECT_REASONS = (
    DecisionReason.DOCUMENT_UNREADABLE,
    DecisionReason.DOCUMENT_EXPIRED,
    DecisionReason.DOCUMENT_MISMATCH,
    DecisionReason.NOT_IN_CATEGORY,
    DecisionReason.OTHER,
)
END_REASONS = (
    DecisionReason.DOCUMENT_REVOKED,
    DecisionReason.ENTERED_IN_ERROR,
    DecisionReason.OTHER,
)
FLAG_CLEAR_REASONS = (DecisionReason.CHECKED_NOT_DUPLICATE, DecisionReason.ENTERED_IN_ERROR)
FLAG_RAISE_REASONS = (
    DecisionReason.SUSPECTED_DUPLICATE,
    DecisionReason.SUSPECTED_FAKE,
    DecisionReason.OTHER,
)


def _officer(user: User | None) -> Actor:
    return actor_as(user, ActorRole.OFFICER)


def _reason_check(reason: str, allowed: tuple[DecisionReason, ...], note: str) -> str:
    """The written reason, stripped; refuses a code not offered for this decision and
    an empty reason (the family is owed a sentence, not only a code)."""
    if reason not in allowed:
        raise ValidationError(_("Оберіть причину зі списку."), code="reason")
    note = note.strip()
    if not note:
        raise ValidationError(
            _("Напишіть пояснення: його побачить родина дитини."), code="decision_note"
        )
    return note


def _pending(claim: PrivilegeClaim) -> PrivilegeClaim:
    locked = PrivilegeClaim.objects.select_for_update().get(pk=claim.pk)
    if locked.status != ClaimStatus.PENDING:
        raise ValidationError(
            _("Цю заяву вже розглянуто (%(status)s).") % {"status": locked.get_status_display()},
            code="decided",
        )
    return locked


def claim_confirm(
    *, claim: PrivilegeClaim, user: User | None, valid_until: dt.date | None
) -> PrivilegeClaim:
    """Confirm a claim, with the last day its document is in force where it has one:
    only now does the child's tier change (SPEC.md "Privileges")."""
    child_officer_required(actor=user, child_id=claim.child_id)
    if valid_until is not None and valid_until < clock.today():
        raise ValidationError(
            _("Документ уже не діє: дата «діє до» минула. Відхиліть заяву з цією причиною."),
            code="valid_until",
        )
    with queue_changes(_officer(user)) as touched:
        locked = _pending(claim)
        locked.status = ClaimStatus.CONFIRMED
        locked.valid_until = valid_until
        locked.decided_at = clock.now()
        locked.decided_by = user
        locked.save(update_fields=["status", "valid_until", "decided_at", "decided_by"])
        touched.add(locked.child_id)
    return locked


def claim_reject(
    *, claim: PrivilegeClaim, user: User | None, reason: str, note: str
) -> PrivilegeClaim:
    """Reject a claim with a reason the family sees; nothing of the queue changes."""
    child_officer_required(actor=user, child_id=claim.child_id)
    note = _reason_check(reason, REJECT_REASONS, note)
    with transaction.atomic():
        locked = _pending(claim)
        locked.decision_save(status=ClaimStatus.REJECTED, by=user, reason=reason, note=note)
        events_append(
            facts=[claim_fact(EventKind.PRIVILEGE_REJECTED, locked, reason)], actor=_officer(user)
        )
    return locked


def claim_end(*, claim: PrivilegeClaim, user: User | None, reason: str, note: str) -> None:
    """End a confirmed privilege early (the document was revoked): the child falls
    back in every queue at once."""
    child_officer_required(actor=user, child_id=claim.child_id)
    note = _reason_check(reason, END_REASONS, note)
    with queue_changes(_officer(user)) as touched:
        touched.reason = reason
        locked = PrivilegeClaim.objects.select_for_update().get(pk=claim.pk)
        if locked.status != ClaimStatus.CONFIRMED:
            raise ValidationError(_("Ця пільга не діє: припиняти нічого."), code="not_confirmed")
        locked.status = ClaimStatus.ENDED
        locked.ended_at = clock.now()
        locked.ended_by = user
        locked.decision_reason = reason
        locked.decision_note = note
        locked.save(
            update_fields=["status", "ended_at", "ended_by", "decision_reason", "decision_note"]
        )
        touched.add(locked.child_id)


def referral_record(
    *, child: Child, user: User, kind: str, valid_until: dt.date | None
) -> Referral:
    """Record a confirmed LKK or PMPK referral seen by the district office: the child
    joins the queues of the matching special groups at once."""
    child_officer_required(actor=user, child_id=child.pk)
    if kind not in ReferralKind.values:
        raise ValidationError(_("Оберіть вид направлення зі списку."), code="kind")
    if valid_until is not None and valid_until < clock.today():
        raise ValidationError(
            _("Направлення вже не діє: дата «діє до» минула."), code="valid_until"
        )
    with queue_changes(_officer(user)) as touched:
        referral = Referral.objects.create(
            child=child,
            kind=kind,
            valid_until=valid_until,
            confirmed_at=clock.now(),
            confirmed_by=user,
        )
        touched.add(child.pk)
    return referral


def flag_clear(*, flag: DuplicateFlag, user: User | None, reason: str, note: str) -> None:
    """The office checked the record: not a duplicate. It returns to the queue."""
    child_officer_required(actor=user, child_id=flag.child_id)
    note = _reason_check(reason, FLAG_CLEAR_REASONS, note)
    with queue_changes(_officer(user)) as touched:
        touched.reason = reason
        locked = DuplicateFlag.objects.select_for_update().get(pk=flag.pk)
        if locked.status != FlagStatus.OPEN:
            raise ValidationError(_("Цю позначку вже перевірено."), code="decided")
        locked.status = FlagStatus.CLEARED
        locked.resolved_at = clock.now()
        locked.resolved_by = user
        locked.decision_reason = reason
        locked.decision_note = note
        locked.save()
        touched.add(locked.child_id)


def flag_raise(*, child: Child, user: User | None, reason: str, note: str) -> DuplicateFlag:
    """The office suspects a record (a duplicate it found, a fake): it leaves the
    clean queue until checked."""
    child_officer_required(actor=user, child_id=child.pk)
    note = _reason_check(reason, FLAG_RAISE_REASONS, note)
    with queue_changes(_officer(user)) as touched:
        touched.reason = reason
        flag = DuplicateFlag.objects.create(
            child=child,
            reason=str(DecisionReason(reason).label),
            created_at=clock.now(),
            created_by=user,
            decision_reason=reason,
            decision_note=note,
        )
        touched.add(child.pk)
    return flag


def group_change_approve(*, change: GroupChange, user: User | None) -> Group:
    """Apply a head's group change (or create the new group): its band, kind and
    capacity are checked again under the group's lock, and the group's open places
    are offered at once to the queue the change made."""
    group_officer_required(actor=user, kindergarten_id=change.kindergarten_id)
    problem = band_problem(
        kind=change.kind,
        age_from_months=change.age_from_months,
        age_to_months=change.age_to_months,
        specialisation=change.specialisation.slug if change.specialisation else None,
    )
    if problem:
        raise ValidationError(problem, code="band")
    actor = _officer(user)
    with transaction.atomic():
        engine.serialize_allocations()
        locked = GroupChange.objects.select_for_update().get(pk=change.pk)
        if locked.status != ChangeStatus.PENDING:
            raise ValidationError(_("Цю зміну вже розглянуто."), code="decided")
        if locked.group_id is None:
            group = Group(kindergarten_id=locked.kindergarten_id)
            kind = EventKind.GROUP_CREATED
        else:
            group = Group.objects.select_for_update().get(pk=locked.group_id)
            capacity_check(group, locked.capacity)
            kind = EventKind.GROUP_CHANGED
        for name in (
            "name",
            "kind",
            "age_from_months",
            "age_to_months",
            "capacity",
            "specialisation",
            "language",
            "over_legal_reason",
        ):
            setattr(group, name, getattr(locked, name))
        group.band_review = False
        try:
            with transaction.atomic():
                group.save()
        except IntegrityError as error:
            raise ValidationError(
                _("У садочку вже є група з такою назвою."), code="name"
            ) from error
        locked.group = group
        locked.status = ChangeStatus.APPROVED
        locked.decided_at = clock.now()
        locked.decided_by = user
        locked.save()
        events_append(
            facts=[
                Fact(
                    kind=EventKind.GROUP_APPROVED,
                    kindergarten_id=group.kindergarten_id,
                    group_id=group.pk,
                    data={"change": locked.pk, **group_data(group)},
                ),
                group_fact(kind, group),
            ],
            actor=actor,
        )
        places = list(places_unreserved().filter(group=group).order_by("pk"))
        if places:
            engine.allocation_run(places=places, kind=AllocationRun.Kind.GROUP, actor=actor)
    return group


def group_change_reject(*, change: GroupChange, user: User | None, note: str) -> GroupChange:
    """Refuse a head's group change with a reason the head sees; nothing changes."""
    group_officer_required(actor=user, kindergarten_id=change.kindergarten_id)
    note = note.strip()
    if not note:
        raise ValidationError(
            _("Напишіть пояснення: його побачить керівник садочка."), code="decision_note"
        )
    with transaction.atomic():
        locked = GroupChange.objects.select_for_update().get(pk=change.pk)
        if locked.status != ChangeStatus.PENDING:
            raise ValidationError(_("Цю зміну вже розглянуто."), code="decided")
        locked.status = ChangeStatus.REJECTED
        locked.decided_at = clock.now()
        locked.decided_by = user
        locked.decision_note = note
        locked.save()
        events_append(
            facts=[
                Fact(
                    kind=EventKind.GROUP_REJECTED,
                    kindergarten_id=locked.kindergarten_id,
                    group_id=locked.group_id,
                    data={
                        "change": locked.pk,
                        "age_from_months": locked.age_from_months,
                        "age_to_months": locked.age_to_months,
                        "kind": locked.kind,
                        "capacity": locked.capacity,
                    },
                )
            ],
            actor=_officer(user),
        )
    return locked


def claims_expire() -> int:
    """The daily run: a confirmed claim whose document's last day has passed stops
    counting (`queue.tier_on` already reads it so on any date); here it is marked
    expired, and the child's record drops it with a `privilege_ended` event with the
    reason `document_expired`. Returns how many expired."""
    today = clock.today()
    with queue_changes() as touched:
        touched.reason = DecisionReason.DOCUMENT_EXPIRED
        expired = list(
            PrivilegeClaim.objects.select_for_update()
            .filter(status=ClaimStatus.CONFIRMED, valid_until__lt=today)
            .values_list("pk", "child_id")
        )
        PrivilegeClaim.objects.filter(pk__in=[pk for pk, _ in expired]).update(
            status=ClaimStatus.EXPIRED
        )
        touched.add(*(child for _, child in expired))
    return len(expired)
