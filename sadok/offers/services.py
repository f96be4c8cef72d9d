"""Writes of the offer engine: a group's capacity, declared places, their withdrawal,
the wave."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sadok import clock
from sadok.accounts.models import User
from sadok.accounts.selectors import is_city_admin
from sadok.allocation import Place as PlaceSpec
from sadok.journal.models import ActorRole, EventKind
from sadok.journal.services import actor_as, actor_staff, events_append
from sadok.kindergartens.models import ChangeStatus, Group, GroupChange, Kindergarten
from sadok.kindergartens.rules import band_problem
from sadok.kindergartens.staff_forms import GroupForm
from sadok.offers import engine
from sadok.offers.door import queue_changes
from sadok.offers.events import OfferEvent, offer_events_record
from sadok.offers.facts import group_fact, offer_fact, place_fact
from sadok.offers.models import HELD, AllocationRun, Offer, OfferStatus, Place, PlaceStatus
from sadok.offers.policies import edit_groups_required, may_approve_groups, run_group_required
from sadok.offers.selectors import group_room
from sadok.offers.states import Event, next_status

# What of a group changes its queues, so that a head's change of it waits for the
# district office (`GroupChange`); a name or a language a head changes at once.
REVIEWED = ("kind", "age_from_months", "age_to_months", "capacity", "specialisation_id")


def approval_needed(*, user: User | None, kindergarten: Kindergarten) -> bool:
    """A head's changes wait for the district office; the office's own, the city
    administrator's and the system's apply at once."""
    if user is None or is_city_admin(user=user):
        return False
    return not may_approve_groups(user=user, kindergarten_id=kindergarten.pk)


def group_save(
    *, form: GroupForm, kindergarten: Kindergarten, user: User | None
) -> Group | GroupChange:
    """Create or change a group. Its age band is whole years (`rules.band_problem`),
    and its capacity may not drop below the children in it and the places declared
    (`group_room`, under the group's row lock). Only the kindergarten's head, its
    district office or the city administrator may (`policies.edit_groups_required`).

    A head's new group, or a change of its band, kind, specialisation or capacity,
    is a `GroupChange` waiting for the district office (`district.group_change_
    approve`): until then the group and its queues stay as they were. Returns the
    group saved, or the change proposed."""
    edit_groups_required(actor=user, kindergarten_id=kindergarten.pk)
    instance = form.instance
    specialisation = instance.specialisation.slug if instance.specialisation else None
    problem = band_problem(
        kind=instance.kind,
        age_from_months=instance.age_from_months,
        age_to_months=instance.age_to_months,
        specialisation=specialisation,
    )
    if problem:
        raise ValidationError(problem, code="band")
    with transaction.atomic():
        locked = None
        if instance.pk:
            locked = Group.objects.select_for_update().get(pk=instance.pk)
            capacity_check(locked, form.cleaned_data["capacity"])
        if approval_needed(user=user, kindergarten=kindergarten):
            return _change_propose(instance, locked, kindergarten, user)
        created = locked is None
        group: Group = form.save(commit=False)
        group.kindergarten = kindergarten
        group.band_review = False
        group.save()
        kind = EventKind.GROUP_CREATED if created else EventKind.GROUP_CHANGED
        events_append(facts=[group_fact(kind, group)], actor=actor_staff(user))
    return group


def capacity_check(locked: Group, capacity: int) -> None:
    """Places declared and not yet filled are promised to the queue: a capacity may
    not drop below them and the children in the group."""
    taken = group_room(group=locked).taken
    if capacity < taken:
        raise ValidationError(
            _("У групі вже %(n)d дітей і оголошених місць: місткість не може бути меншою.")
            % {"n": taken},
            code="capacity",
        )


def _change_propose(
    proposed: Group, locked: Group | None, kindergarten: Kindergarten, user: User | None
) -> Group | GroupChange:
    """A head's change: the name and language at once; the rest, if any changed, as
    the group's one pending change (a newer proposal replaces the waiting one)."""
    if locked is not None:
        locked.name, locked.language = proposed.name, proposed.language
        if all(getattr(locked, f) == getattr(proposed, f) for f in REVIEWED):
            locked.over_legal_reason = proposed.over_legal_reason
            locked.save()
            return locked
        locked.save(update_fields=["name", "language"])
    values = {
        "name": proposed.name,
        "kind": proposed.kind,
        "age_from_months": proposed.age_from_months,
        "age_to_months": proposed.age_to_months,
        "capacity": proposed.capacity,
        "specialisation": proposed.specialisation,
        "language": proposed.language,
        "over_legal_reason": proposed.over_legal_reason,
        "proposed_at": clock.now(),
        "proposed_by": user,
        "kindergarten": kindergarten,
    }
    if locked is not None:
        change, _created = GroupChange.objects.update_or_create(
            group=locked, status=ChangeStatus.PENDING, defaults=values
        )
        return change
    if GroupChange.objects.filter(
        kindergarten=kindergarten, group=None, status=ChangeStatus.PENDING, name=proposed.name
    ).exists():
        raise ValidationError(
            _("Нова група з такою назвою вже чекає на затвердження РУО."), code="name"
        )
    return GroupChange.objects.create(group=None, **values)


def places_declare(
    *, group: Group, count: int, user: User | None, wave_date: dt.date | None = None
) -> AllocationRun | None:
    """A head's "+N": N place rows, and at once the engine's offers for them, in one
    transaction (SPEC.md "Group formation" steps 1-2). Places for a September wave
    wait for `run_wave` instead (from the wave's date on, they are offered at once).
    Only the kindergarten's head declares (`policies.run_group_required`); `user`
    None is the system (imports, the demo)."""
    run_group_required(actor=user, kindergarten_id=group.kindergarten_id)
    with transaction.atomic():
        engine.serialize_allocations()
        locked = Group.objects.select_for_update().get(pk=group.pk)
        if locked.band_review:
            raise ValidationError(
                _(
                    "Вікові межі цієї групи не відповідають правилу повних років і чекають "
                    "на перевірку РУО. Виправте їх на сторінці групи — тоді можна буде "
                    "оголосити місця."
                ),
                code="band_review",
            )
        room = group_room(group=locked)
        free = room.free
        if count < 1:
            raise ValidationError(_("Вкажіть, скільки місць звільнилося: від 1."), code="count")
        if count > free:
            raise ValidationError(
                _(
                    "У групі можна оголосити щонайбільше %(free)d вільних місць: місткість "
                    "%(cap)d, дітей і вже оголошених місць — %(taken)d."
                )
                % {"free": max(free, 0), "cap": room.capacity, "taken": room.taken},
                code="too_many",
            )
        now = clock.now()
        places = Place.objects.bulk_create(
            Place(group=locked, declared_at=now, declared_by=user, wave_date=wave_date)
            for _ in range(count)
        )
        actor = actor_as(user, ActorRole.HEAD)
        events_append(
            facts=[place_fact(EventKind.PLACE_DECLARED, p, locked) for p in places], actor=actor
        )
        if wave_date is not None and wave_date > now.astimezone(clock.KYIV).date():
            return None  # waits for the wave; one whose date has come is offered now
        return engine.allocation_run(places=places, kind=AllocationRun.Kind.PLACES, actor=actor)


def place_withdraw(*, place: Place, user: User, reason: str) -> AllocationRun | None:
    """A head takes back a declared place (a mistake, a closed group): its live offer,
    if any, is withdrawn with the reason. The child keeps its place in the queues, and
    through the door is offered at once any open place it now fits (it held a better
    one until now)."""
    run_group_required(actor=user, kindergarten_id=place.group.kindergarten_id)
    if not reason.strip():
        raise ValidationError(_("Вкажіть причину: її побачить родина."), code="reason")
    with queue_changes(actor_as(user, ActorRole.HEAD)) as touched:
        engine.serialize_allocations()
        locked = Place.objects.select_for_update().get(pk=place.pk)
        if locked.status not in HELD:
            raise ValidationError(_("Це місце вже не можна зняти."), code="closed")
        if locked.offers.filter(status=OfferStatus.ACCEPTED).exists():
            raise ValidationError(
                _(
                    "Батьки вже прийняли це місце. Його можна звільнити, лише коли дитина "
                    "вибуде, або після строку подання документів."
                ),
                code="accepted",
            )
        now = clock.now()
        withdrawn = list(
            Offer.objects.select_for_update()
            .filter(place=locked, status=OfferStatus.OFFERED)
            .select_related("place__group", "child")
        )
        for offer in withdrawn:
            offer.status = next_status(offer.status, Event.WITHDRAW)
            offer.closed_at, offer.closed_reason = now, reason.strip()
            offer.save(update_fields=["status", "closed_at", "closed_reason"])
        offer_events_record(offers=[o.pk for o in withdrawn], event=OfferEvent.WITHDRAWN)
        touched.add(*(o.child_id for o in withdrawn))
        locked.status = PlaceStatus.WITHDRAWN
        locked.closed_at = now
        locked.closed_reason = reason.strip()
        locked.save(update_fields=["status", "closed_at", "closed_reason"])
        events_append(
            facts=[
                *(
                    offer_fact(EventKind.OFFER_WITHDRAWN, o, reason="place_withdrawn")
                    for o in withdrawn
                ),
                place_fact(EventKind.PLACE_WITHDRAWN, locked, locked.group, reason="by_head"),
            ],
            actor=actor_as(user, ActorRole.HEAD),
        )
    return None


def wave_run(
    *, on: dt.date, dry_run: bool = False, user: User | None = None
) -> tuple[engine.Allocation, AllocationRun | None, int]:
    """The September wave over the places declared for `on` and not yet offered."""
    with transaction.atomic():
        engine.serialize_allocations()
        places = [
            PlaceSpec(id=pk, group=group)
            for pk, group in Place.objects.select_for_update()
            .filter(wave_date=on, status=PlaceStatus.OPEN)
            .exclude(offers__status__in=(OfferStatus.OFFERED, OfferStatus.ACCEPTED))
            .order_by("pk")
            .values_list("pk", "group_id")
        ]
        result, run = engine.wave_run(
            places=places, on=on, actor=actor_staff(user), dry_run=dry_run
        )
        if dry_run:
            transaction.set_rollback(True)
    return result, run, len(places)
