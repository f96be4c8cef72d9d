"""Writing what an engine run decided, in the caller's transaction: withdrawals first,
then the new offers (with their ids, so that the family's messages can cite them),
the run and its decisions, and its domain events (`docs/events.md`)."""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections.abc import Iterable

from django.db.models import Q

from sadok.allocation import Allocation, Applicant, Reason, age_in_months
from sadok.allocation import Place as PlaceSpec
from sadok.applications.models import Child
from sadok.bulk import among, rows_insert, rows_insert_with_ids
from sadok.journal.models import EventKind
from sadok.journal.services import Actor, Fact, events_append
from sadok.offers.deadlines import answer_by, remind_at, rules_current
from sadok.offers.events import OfferEvent, offer_events_record
from sadok.offers.models import AllocationRun, Decision, Offer, OfferStatus, Place, PlaceStatus
from sadok.offers.states import Event, next_status

UPGRADE_REASON = "дитина отримала пропозицію від садочка, вищого в списку батьків"

_OFFER_FIELDS = (
    "place_id",
    "child_id",
    "status",
    "reason",
    "made_at",
    "answer_by",
    "remind_at",
    "documents_working_days",
    "extension_working_days",
    "closed_reason",
)


def run_write(
    result: Allocation,
    *,
    kind: str,
    at: dt.datetime,
    actor: Actor,
    read: Iterable[Applicant],
    reference: dt.date,
    free: list[PlaceSpec],
) -> AllocationRun:
    # Withdrawals first: the partial unique indexes see one live offer at a time.
    if result.withdrawn:
        # One statement: a withdrawn offer was only ever offered, so the children's
        # queue records do not change (`applications/signals.py`).
        which = functools.reduce(
            operator.or_, (Q(place_id=o.place, child_id=o.applicant) for o in result.withdrawn)
        )
        changed = Offer.objects.filter(which, status=OfferStatus.OFFERED).update(
            status=next_status(OfferStatus.OFFERED, Event.WITHDRAW),
            closed_at=at,
            closed_reason=UPGRADE_REASON,
        )
        if changed != len(result.withdrawn):  # cannot happen under the allocation lock
            raise RuntimeError(f"{len(result.withdrawn)} offers to withdraw, {changed} open")
        Place.objects.filter(pk__in=[o.place for o in result.withdrawn]).update(
            status=PlaceStatus.OPEN
        )
    reasons = {(d.place, d.applicant): d.reason for d in result.decisions if d.place is not None}
    rules = rules_current()
    deadline = answer_by(made_at=at, rules=rules)
    reminder = remind_at(answer_by=deadline, rules=rules)
    offer_ids = rows_insert_with_ids(
        Offer,
        _OFFER_FIELDS,
        (
            (
                o.place,
                o.applicant,
                OfferStatus.OFFERED.value,
                str(reasons.get((o.place, o.applicant), "offered")),
                at,
                deadline,
                reminder,
                rules.documents_working_days,
                rules.extension_working_days,
                "",
            )
            for o in result.offers
        ),
    )
    offer_events_record(offers=offer_ids, event=OfferEvent.OFFERED, new_offers=True)
    if result.offers:
        Place.objects.filter(among("pk", (o.place for o in result.offers))).update(
            status=PlaceStatus.OFFERED
        )
    run = AllocationRun.objects.create(
        kind=kind,
        at=at,
        triggered_by_id=actor.user_id,
        summary={
            "places": len({o.place for o in result.offers} | {p.id for p in result.unfilled}),
            "offers": len(result.offers),
            "withdrawn": len(result.withdrawn),
            "unfilled": len(result.unfilled),
        },
    )
    rows_insert(
        Decision,
        ("run_id", "place_id", "child_id", "group_id", "reason", "withdrawn_place_id"),
        (
            (run.pk, d.place, d.applicant, d.group, str(d.reason), d.withdrawn_place)
            for d in result.decisions
        ),
    )
    _events(
        result,
        run=run,
        offer_ids=offer_ids,
        actor=actor,
        read=read,
        reference=reference,
        free=free,
    )
    return run


def _events(
    result: Allocation,
    *,
    run: AllocationRun,
    offer_ids: list[int],
    actor: Actor,
    read: Iterable[Applicant],
    reference: dt.date,
    free: list[PlaceSpec],
) -> None:
    """The run's domain events: the allocation itself, with what a replay needs (the
    free places it started from, the reference date and the age of every child it
    read: in whole months by record, for the auditors, and in whole years by
    application number, for the public), then each offer withdrawn for an upgrade and each offer
    made or upgraded."""
    ages: dict[dt.date, int] = {}
    read_ages, read_years = {}, {}
    for a in read:
        if a.born not in ages:
            ages[a.born] = age_in_months(born=a.born, at=reference)
        read_ages[str(a.id)] = ages[a.born]
        read_years[a.number] = ages[a.born] // 12
    children = {o.applicant for o in result.offers} | {o.applicant for o in result.withdrawn}
    numbers = dict(
        Child.objects.filter(among("pk", children)).values_list("pk", "application_number")
    )
    reasons = {(d.place, d.applicant): d.reason for d in result.decisions if d.place is not None}
    facts = [
        Fact(
            kind=EventKind.ALLOCATION,
            reason=str(run.kind),
            data={
                "run": run.pk,
                "reference_date": reference.isoformat(),
                "ages": read_ages,
                # The same ages in whole years, by application number: what the public
                # log carries for its replay (`sadok.allocation.replay`).
                "years": read_years,
                "places": sorted(
                    {o.place for o in result.offers} | {p.id for p in result.unfilled}
                ),
                # The run's input, in order: the free places it started from.
                "free": [[p.id, p.group] for p in free],
            },
        )
    ]
    for offer in result.withdrawn:
        facts.append(
            Fact(
                kind=EventKind.OFFER_WITHDRAWN,
                child_id=offer.applicant,
                application_number=numbers.get(offer.applicant, ""),
                kindergarten_id=offer.kindergarten,
                group_id=offer.group,
                place_id=offer.place,
                reason="upgraded",
                data={"run": run.pk},
            )
        )
    for offer, offer_id in zip(result.offers, offer_ids, strict=True):
        upgraded = reasons.get((offer.place, offer.applicant)) == Reason.UPGRADED
        facts.append(
            Fact(
                kind=EventKind.OFFER_UPGRADED if upgraded else EventKind.OFFER_MADE,
                child_id=offer.applicant,
                application_number=numbers.get(offer.applicant, ""),
                kindergarten_id=offer.kindergarten,
                group_id=offer.group,
                place_id=offer.place,
                offer_id=offer_id,
                data={"run": run.pk},
            )
        )
    events_append(facts=facts, actor=actor, at=run.at)
