"""The offer after it is made: answers, documents, enrollment, deadlines
(SPEC.md "Group formation", steps 4-7).

Each function is one transaction that locks the offer's row, so that a parent
answering and the deadline sweep can never both act on it: whichever locks
first decides, the other sees the new state and is refused (or skips).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from sadok import clock
from sadok.accounts.models import User
from sadok.applications.models import Choice
from sadok.applications.services import children_deactivate
from sadok.journal.models import ActorRole, EventKind
from sadok.journal.services import SYSTEM, Actor, Fact, actor_as, events_append
from sadok.kindergartens.models import Enrollment, Group
from sadok.offers import engine
from sadok.offers.deadlines import documents_by
from sadok.offers.door import choice_remove, queue_changes
from sadok.offers.events import OfferEvent, offer_events_record
from sadok.offers.facts import offer_fact, place_fact
from sadok.offers.models import AllocationRun, Offer, OfferStatus, Place, PlaceStatus
from sadok.offers.policies import run_group_required
from sadok.offers.states import Event, TransitionRefused, next_status

REASON_MAX = 255


def _locked(offer: Offer) -> Offer:
    return (
        Offer.objects.select_for_update(of=("self", "place", "child"))
        .select_related("place__group", "child")
        .get(pk=offer.pk)
    )


def _is_guardian(user: User, child_id: int) -> bool:
    return user.guardianships.filter(child_id=child_id).exists()


def _refuse_unless_guardian(user: User, offer: Offer) -> None:
    if not _is_guardian(user, offer.child_id):
        raise TransitionRefused(_("Це не пропозиція для вашої дитини."))


def _reoffer(place: Place, at: dt.datetime) -> AllocationRun:
    """The place goes to the next child at once (SPEC.md step 5)."""
    Place.objects.filter(pk=place.pk).update(status=PlaceStatus.OPEN)
    place.status = PlaceStatus.OPEN
    return engine.allocation_run(places=[place], kind=AllocationRun.Kind.REOFFER)


def offer_accept(*, offer: Offer, user: User) -> Offer:
    """The parent accepts: documents are due within N working days (N = 5). The child
    now holds a place there (its queue record changes)."""
    with queue_changes(actor_as(user, ActorRole.PARENT)) as touched:
        engine.serialize_allocations()
        locked = _locked(offer)
        _refuse_unless_guardian(user, locked)
        now = clock.now()
        if locked.status == OfferStatus.OFFERED and now > locked.answer_by:
            raise TransitionRefused(str(_("Строк відповіді на цю пропозицію минув.")))
        locked.status = next_status(locked.status, Event.ACCEPT)
        locked.accepted_at = now
        locked.documents_by = documents_by(start=now, working_days=locked.documents_working_days)
        locked.save(update_fields=["status", "accepted_at", "documents_by"])
        touched.add(locked.child_id)
        offer_events_record(offers=[locked.pk], event=OfferEvent.ACCEPTED)
        _told(EventKind.OFFER_ACCEPTED, locked, actor_as(user, ActorRole.PARENT))
    return locked


def offer_decline(*, offer: Offer, user: User) -> Offer:
    """The parent declines: the place goes to the next child, the kindergarten leaves
    the child's list, and the child keeps its place in its other queues."""
    return _let_go(offer, user, Event.DECLINE, EventKind.OFFER_DECLINED, OfferEvent.DECLINED)


def acceptance_withdraw(*, offer: Offer, user: User) -> Offer:
    """The parent gives up an accepted place before the documents are confirmed: as a
    decline, the kindergarten leaves the child's list and the place goes on at once;
    the child is back in its other queues (it no longer holds a place)."""
    return _let_go(offer, user, Event.RELINQUISH, EventKind.ACCEPTANCE_WITHDRAWN, None)


def _let_go(offer: Offer, user: User, event: str, kind: str, notice: OfferEvent | None) -> Offer:
    """A family lets a place go (`event`, allowed by the state table): the offer is
    closed, its kindergarten leaves the child's list, the place goes on at once, and
    the journal says `kind` (the family is sent `notice`, if any)."""
    with queue_changes(actor_as(user, ActorRole.PARENT)) as touched:
        engine.serialize_allocations()
        locked = _locked(offer)
        _refuse_unless_guardian(user, locked)
        now = clock.now()
        locked.status = next_status(locked.status, event)
        locked.closed_at = now
        locked.save(update_fields=["status", "closed_at"])
        touched.add(locked.child_id)
        choice = Choice.objects.filter(
            child=locked.child, kindergarten=locked.place.group.kindergarten_id
        ).first()
        if choice is not None:
            choice_remove(choice=choice)
        if notice is not None:
            offer_events_record(offers=[locked.pk], event=notice)
        _told(kind, locked, actor_as(user, ActorRole.PARENT))
        _reoffer(locked.place, now)
    return locked


def documents_extend(*, offer: Offer, user: User) -> Offer:
    """Once, before the documents' deadline: N more working days (N = 5)."""
    with transaction.atomic():
        locked = _locked(offer)
        _refuse_unless_guardian(user, locked)
        if locked.status != OfferStatus.ACCEPTED or locked.documents_by is None:
            raise TransitionRefused(_("Подовжити можна лише строк прийнятої пропозиції."))
        if locked.extended_at is not None:
            raise TransitionRefused(_("Строк уже подовжено один раз; більше подовжень немає."))
        now = clock.now()
        if now > locked.documents_by:
            raise TransitionRefused(_("Строк подання документів уже минув."))
        locked.documents_by = documents_by(
            start=locked.documents_by, working_days=locked.extension_working_days
        )
        locked.extended_at = now
        locked.save(update_fields=["documents_by", "extended_at"])
        offer_events_record(offers=[locked.pk], event=OfferEvent.EXTENDED)
        _told(EventKind.DOCUMENTS_EXTENDED, locked, actor_as(user, ActorRole.PARENT))
    return locked


def documents_confirm(*, offer: Offer, user: User | None) -> Enrollment:
    """The head has the documents: the child is enrolled and leaves every queue,
    except kindergartens ranked higher when the family keeps waiting. A place the
    child held before (keep waiting) is freed and offered on. Only the head of the
    offer's kindergarten confirms (`policies.run_group_required`), and is recorded
    as who enrolled the child."""
    with queue_changes(actor_as(user, ActorRole.HEAD)) as touched:
        engine.serialize_allocations()
        locked = _locked(offer)
        run_group_required(actor=user, kindergarten_id=locked.place.group.kindergarten_id)
        # The group's row too: a capacity being lowered at this moment waits for us.
        Group.objects.select_for_update().filter(pk=locked.place.group_id).first()
        now = clock.now()
        locked.status = next_status(locked.status, Event.CONFIRM_DOCUMENTS)
        locked.closed_at = now
        locked.save(update_fields=["status", "closed_at"])
        Place.objects.filter(pk=locked.place_id).update(status=PlaceStatus.FILLED)
        today = now.astimezone(clock.KYIV).date()
        previous = list(
            Enrollment.objects.select_for_update().filter(child=locked.child, ended_on__isnull=True)
        )
        for old in previous:
            old.ended_on = today
            old.ended_reason = str(_("перейшла до садочка, вищого в списку батьків"))
            old.save(update_fields=["ended_on", "ended_reason"])
        enrollment = Enrollment.objects.create(
            group=locked.place.group, child=locked.child, started_on=today, enrolled_by=user
        )
        touched.add(locked.child_id)
        offer_events_record(offers=[locked.pk], event=OfferEvent.ENROLLED)
        _told(EventKind.DOCUMENTS_CONFIRMED, locked, actor_as(user, ActorRole.HEAD))
        for old in previous:
            freed = Place.objects.create(group=old.group, declared_at=now)
            engine.allocation_run(places=[freed], kind=AllocationRun.Kind.REOFFER)
    return enrollment


def enrollment_release(*, enrollment: Enrollment, user: User, reason: str) -> AllocationRun:
    """A child leaves the group: its place is offered to the next child at once. Only
    the head of the group's kindergarten (`policies.run_group_required`), recorded as
    who took the child off the list."""
    if not reason.strip():
        raise TransitionRefused(_("Вкажіть причину вибуття."))
    if len(reason.strip()) > REASON_MAX:
        raise TransitionRefused(_("Причина вибуття — не довше за 255 символів."))
    with queue_changes(actor_as(user, ActorRole.HEAD)) as touched:
        engine.serialize_allocations()
        locked = (
            Enrollment.objects.select_for_update().select_related("group").get(pk=enrollment.pk)
        )
        run_group_required(actor=user, kindergarten_id=locked.group.kindergarten_id)
        if locked.ended_on is not None:
            raise TransitionRefused(_("Дитина вже вибула з групи."))
        now = clock.now()
        locked.ended_on = now.astimezone(clock.KYIV).date()
        locked.ended_reason = reason.strip()
        locked.ended_by = user
        locked.save(update_fields=["ended_on", "ended_reason", "ended_by"])
        touched.add(locked.child_id)
        freed = Place.objects.create(group=locked.group, declared_at=now, declared_by=user)
        head = actor_as(user, ActorRole.HEAD)
        events_append(
            facts=[
                Fact(
                    kind=EventKind.ENROLLMENT_ENDED,
                    child_id=locked.child_id,
                    application_number=locked.child.application_number if locked.child else "",
                    kindergarten_id=locked.group.kindergarten_id,
                    group_id=locked.group_id,
                    reason="left_group",
                ),
                place_fact(EventKind.PLACE_DECLARED, freed, locked.group, reason="child_left"),
            ],
            actor=head,
        )
        return engine.allocation_run(places=[freed], kind=AllocationRun.Kind.REOFFER, actor=head)


# -- the deadline sweep ------------------------------------------------------------------


@dataclass
class SweepReport:
    reminded: list[int] = field(default_factory=list)
    expired: list[int] = field(default_factory=list)
    documents_missed: list[int] = field(default_factory=list)
    reoffered: int = 0


def deadlines_process(*, dry_run: bool = False) -> SweepReport:
    """Send due reminders, expire ignored offers, close missed documents, and offer
    their places on. On the days after a wave thousands of offers reach a deadline
    at the same minute, so the sweep works in batches: one transaction reminds a
    batch (`SADOK_REMIND_BATCH`); one expires a batch (`SADOK_SWEEP_BATCH`) and offers
    all its freed places in a single allocation run, by the rule of the wave
    (upgrades included), its queues read whole when it frees many places
    (`SADOK_WHOLE_READ_FROM`).
    Idempotent, and safe beside another sweep and beside families answering: each
    batch takes its offers under their row locks, skipping rows someone else holds
    (they are taken by the next batch or the next sweep), and selects them by their
    state under the lock."""
    report = SweepReport()
    now = clock.now()
    if dry_run:
        report.reminded = list(_due_reminders(now).values_list("pk", flat=True))
        for status, deadline, bucket in _DEADLINES:
            overdue = _overdue(status, deadline, now).values_list("pk", flat=True)
            getattr(report, bucket).extend(overdue)
        return report
    while reminded := _remind_batch(now):
        report.reminded.extend(reminded)
    for status, deadline, bucket in _DEADLINES:
        while closed := _close_batch(status, deadline, now):
            getattr(report, bucket).extend(closed)
            report.reoffered += len(closed)
    return report


# What each deadline does: the offers in `status` whose `deadline` has passed, into
# the report's `bucket`.
_DEADLINES = (
    (OfferStatus.OFFERED, "answer_by", "expired"),
    (OfferStatus.ACCEPTED, "documents_by", "documents_missed"),
)
_MISSED = {
    OfferStatus.OFFERED: (Event.EXPIRE, OfferEvent.EXPIRED, EventKind.OFFER_EXPIRED),
    OfferStatus.ACCEPTED: (
        Event.MISS_DOCUMENTS,
        OfferEvent.DOCUMENTS_MISSED,
        EventKind.DOCUMENTS_MISSED,
    ),
}


def _due_reminders(now: dt.datetime) -> QuerySet[Offer]:
    return Offer.objects.filter(
        status=OfferStatus.OFFERED,
        remind_at__lte=now,
        reminded_at__isnull=True,
        answer_by__gte=now,
    )


def _overdue(status: OfferStatus, deadline: str, now: dt.datetime) -> QuerySet[Offer]:
    return Offer.objects.filter(status=status, **{f"{deadline}__lt": now})


def _remind_batch(now: dt.datetime) -> list[int]:
    """One transaction: a batch of due reminders marked sent and their messages
    written to the outbox (the worker delivers them)."""
    with transaction.atomic():
        due = list(
            _due_reminders(now)
            .select_for_update(skip_locked=True)
            .order_by("remind_at", "pk")
            .values_list("pk", flat=True)[: settings.SADOK_REMIND_BATCH]
        )
        if due:
            Offer.objects.filter(pk__in=due).update(reminded_at=now)
            offer_events_record(offers=due, event=OfferEvent.REMINDER)
    return due


def _close_batch(status: OfferStatus, deadline: str, now: dt.datetime) -> list[int]:
    """One transaction: a batch of offers past `deadline` closed, their children out
    of the queues (SPEC.md steps 5 and 6), the journal and the families told, and
    their places offered on in one allocation run."""
    event, notice, kind = _MISSED[status]
    with queue_changes(SYSTEM) as touched:
        engine.serialize_allocations()
        offers = list(
            _overdue(status, deadline, now)
            .select_for_update(skip_locked=True)
            .select_related("place", "child")
            .order_by("pk")[: settings.SADOK_SWEEP_BATCH]
        )
        if not offers:
            return []
        # Their groups, for the events, in one read (not locked: the offers are).
        groups = Group.objects.in_bulk({offer.place.group_id for offer in offers})
        closed = next_status(status, event)
        for offer in offers:
            offer.place.group = groups[offer.place.group_id]
            offer.status, offer.closed_at = closed, now
        Offer.objects.filter(pk__in=[offer.pk for offer in offers]).update(
            status=closed, closed_at=now
        )
        children = {offer.child_id for offer in offers}
        children_deactivate(child_ids=children, reason=_deactivation_reason(notice))
        touched.add(*children)
        events_append(facts=[offer_fact(kind, offer) for offer in offers], actor=SYSTEM)
        offer_events_record(offers=[offer.pk for offer in offers], event=notice)
        places = [offer.place for offer in offers]
        Place.objects.filter(pk__in=[place.pk for place in places]).update(status=PlaceStatus.OPEN)
        for place in places:
            place.status = PlaceStatus.OPEN
        engine.allocation_run(places=places, kind=AllocationRun.Kind.REOFFER)
    return [offer.pk for offer in offers]


def _deactivation_reason(notice: OfferEvent) -> str:
    """Why the child is out of the queues, as the family reads it."""
    if notice == OfferEvent.EXPIRED:
        return str(_("не було відповіді на пропозицію місця вчасно"))
    return str(_("документи для зарахування не подано вчасно"))


def _told(kind: str, offer: Offer, actor: Actor) -> None:
    """The domain event of an offer's step (`sadok.journal`)."""
    events_append(facts=[offer_fact(kind, offer)], actor=actor)
