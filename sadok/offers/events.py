"""What each step of an offer tells the family (SPEC.md "Group formation", step 3).

A cabinet message always; an e-mail to a verified address; an SMS to a verified
phone unless the family switched SMS off. All are written in the same transaction
as the step (the outbox), each in the guardian's language. Every date is the one
stored on the offer, shown in Kyiv time.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from sadok import clock
from sadok.applications.models import Child, Guardianship
from sadok.bulk import among
from sadok.notifications.services import (
    RECIPIENT,
    Note,
    Recipient,
    notes_send,
    recipient,
    verified_email,
)
from sadok.offers.contacts import office_contacts, unattached
from sadok.offers.models import Offer


class OfferEvent(enum.StrEnum):
    OFFERED = "offer_made"
    REMINDER = "offer_reminder"
    ACCEPTED = "offer_accepted"
    DECLINED = "offer_declined"
    EXPIRED = "offer_expired"
    WITHDRAWN = "offer_withdrawn"
    EXTENDED = "documents_extended"
    ENROLLED = "child_enrolled"
    DOCUMENTS_MISSED = "documents_missed"


def kyiv(moment: dt.datetime | None) -> str:
    return moment.astimezone(clock.KYIV).strftime("%d.%m.%Y %H:%M") if moment else ""


def _short(moment: dt.datetime | None) -> str:
    return moment.astimezone(clock.KYIV).strftime("%d.%m %H:%M") if moment else ""


@dataclass(frozen=True)
class OfferFacts:
    """What the texts of an offer's events say, read in one query for many offers."""

    pk: int
    child_id: int
    child: str
    number: int
    name: str
    group: str
    answer_by: dt.datetime | None
    documents_by: dt.datetime | None
    reason: str


_FACTS = (
    "pk",
    "child_id",
    "child__first_name",
    "place__group__kindergarten__number",
    "place__group__kindergarten__name",
    "place__group__name",
    "answer_by",
    "documents_by",
    "closed_reason",
)


def offer_facts(*, offers: Iterable[int]) -> list[OfferFacts]:
    return [
        OfferFacts(*row)
        for row in Offer.objects.filter(among("pk", offers)).order_by("pk").values_list(*_FACTS)
    ]


# Subject, body and SMS templates of each event, built in the active language. Every
# event has its own entry and there is no default: an event without one is a bug
# (KeyError), never another event's text.
_TEMPLATES: dict[OfferEvent, Callable[[], tuple[str, str, str]]] = {
    OfferEvent.OFFERED: lambda: (
        _("Місце для дитини: %(where)s"),
        _(
            "Для дитини %(child)s є місце: %(where)s. Прийміть або відхиліть пропозицію в "
            "кабінеті до %(answer_by)s (за Києвом). Якщо не відповісте, участь дитини в "
            "черзі буде тимчасово призупинено, а місце отримає наступна дитина."
        ),
        _("Sadok: місце в садочку №%(number)s. Відповідь до %(answer_by_short)s"),
    ),
    OfferEvent.REMINDER: lambda: (
        _("Нагадування: відповідь до %(answer_by)s"),
        _(
            "Пропозиція місця для дитини %(child)s (%(where)s) чекає на вашу відповідь до "
            "%(answer_by)s."
        ),
        _("Sadok: нагадування, відповідь щодо садочка №%(number)s до %(answer_by_short)s"),
    ),
    OfferEvent.ACCEPTED: lambda: (
        _("Пропозицію прийнято: документи до %(documents_by)s"),
        _(
            "Ви прийняли місце для дитини %(child)s: %(where)s. Принесіть керівнику до "
            "%(documents_by)s: свідоцтво про народження дитини, медичну довідку (форма "
            "086-1/о), паспорт одного з батьків, документ про пільгу (якщо є). Строк можна "
            "один раз подовжити в кабінеті."
        ),
        _("Sadok: документи до садочка №%(number)s до %(documents_by_short)s"),
    ),
    OfferEvent.EXTENDED: lambda: (
        _("Строк подання документів: %(documents_by)s"),
        _(
            "Строк подання документів для дитини %(child)s (%(where)s) подовжено до "
            "%(documents_by)s. Більше подовжень немає."
        ),
        _("Sadok: документи до садочка №%(number)s до %(documents_by_short)s"),
    ),
    OfferEvent.DECLINED: lambda: (
        _("Пропозицію відхилено"),
        _(
            "Ви відмовилися від місця: %(where)s. Цей садочок прибрано зі списку дитини "
            "%(child)s; в інших чергах дитина лишається на своєму місці."
        ),
        _("Sadok: відмову від садочка №%(number)s прийнято"),
    ),
    OfferEvent.EXPIRED: lambda: (
        _("Участь у черзі призупинено"),
        _(
            "На пропозицію місця (%(where)s) не надійшло відповіді до %(answer_by)s. "
            "Участь дитини %(child)s у черзі тимчасово призупинено; дата реєстрації "
            "збережена. Відновіть участь у кабінеті, коли будете готові."
        ),
        _("Sadok: участь у черзі призупинено. Відновіть її в кабінеті"),
    ),
    OfferEvent.DOCUMENTS_MISSED: lambda: (
        _("Участь у черзі призупинено"),
        _(
            "Документи для зарахування (%(where)s) не подано до %(documents_by)s. Участь "
            "дитини %(child)s у черзі тимчасово призупинено; дата реєстрації збережена."
        ),
        _("Sadok: участь у черзі призупинено. Відновіть її в кабінеті"),
    ),
    OfferEvent.WITHDRAWN: lambda: (
        _("Пропозицію відкликано"),
        _(
            "Пропозицію місця (%(where)s) відкликано: %(reason)s. Дитина %(child)s лишається "
            "в чергах."
        ),
        _("Sadok: пропозицію садочка №%(number)s відкликано"),
    ),
    OfferEvent.ENROLLED: lambda: (
        _("Дитину зараховано"),
        _("Дитину %(child)s зараховано: %(where)s."),
        _("Sadok: дитину зараховано до садочка №%(number)s"),
    ),
}


@functools.lru_cache(maxsize=128)
def _templates_in(event: OfferEvent, language: str) -> tuple[str, str, str, str]:
    with translation.override(language):
        return (_("садочок № %(number)s «%(name)s», група «%(group)s»"), *_TEMPLATES[event]())


def texts(
    offer: OfferFacts, event: OfferEvent, language: str | None = None
) -> tuple[str, str, str]:
    """Subject, body and SMS (short: Cyrillic SMS segments hold 70 characters), in
    `language` (the active one if None)."""
    where, subject, body, sms = _templates_in(event, language or translation.get_language())
    values = {
        "child": offer.child,
        "number": offer.number,
        "name": offer.name,
        "group": offer.group,
        "answer_by": kyiv(offer.answer_by),
        "answer_by_short": _short(offer.answer_by),
        "documents_by": kyiv(offer.documents_by),
        "documents_by_short": _short(offer.documents_by),
        "reason": offer.reason,
    }
    values["where"] = where % values
    return subject % values, body % values, sms % values


def _unattached_told(
    facts: list[OfferFacts], guardians: defaultdict[int, list[Recipient]]
) -> list[OfferFacts]:
    """A child the district office registered that no family has attached yet is
    told through the contacts the family gave the office (in Ukrainian, the child
    named by its application number, which the office handed over with the code),
    under the officer who sent the code, whose cabinet keeps the message."""
    orphans = unattached(children=[f.child_id for f in facts if not guardians[f.child_id]])
    if not orphans:
        return facts
    contacts = office_contacts(children=orphans)
    numbers = dict(Child.objects.filter(pk__in=orphans).values_list("pk", "application_number"))
    for child_id, where in contacts.items():
        if where.sender_id is not None:
            guardians[child_id].append(Recipient(where.sender_id, "uk", where.email, where.phone))
    with translation.override("uk"):
        named = {pk: _("із заявою № %(n)s") % {"n": n} for pk, n in numbers.items()}
    return [
        dataclasses.replace(f, child=named[f.child_id]) if f.child_id in named else f for f in facts
    ]


# A stand-in id: one reverse() serves every link (the wave tells 25,000 families).
_ANY_CHILD = 987654321


def offer_events_record(
    *, offers: Iterable[int], event: OfferEvent, new_offers: bool = False
) -> None:
    """Tell every guardian of each offer's child (`offers` are ids), once per event
    and person, each in their language. `new_offers`: the offers were made in this
    transaction, so none of their events can have been told yet."""
    facts = offer_facts(offers=offers)
    if not facts:
        return
    guardians: defaultdict[int, list[Recipient]] = defaultdict(list)
    for child_id, *person in (
        Guardianship.objects.filter(among("child", {f.child_id for f in facts}))
        .annotate(email=verified_email("user"))
        .values_list("child_id", *(f"user__{f}" for f in RECIPIENT), "email")
    ):
        guardians[child_id].append(recipient(*person))
    facts = _unattached_told(facts, guardians)
    link_of = reverse("cabinet:child", args=[_ANY_CHILD]).replace(str(_ANY_CHILD), "{}")
    notes: list[Note] = []
    for offer in facts:
        link = link_of.format(offer.child_id)
        rendered: dict[str, tuple[str, str, str]] = {}
        for person in guardians[offer.child_id]:
            if person.language not in rendered:
                rendered[person.language] = texts(offer, event, person.language)
            subject, body, sms = rendered[person.language]
            notes.append(
                Note(
                    recipient=person,
                    kind=str(event),
                    subject=subject,
                    body=body,
                    sms=sms,
                    link=link,
                    event_key=f"{event}:{offer.pk}",
                )
            )
    notes_send(notes=notes, new_events=new_offers)
