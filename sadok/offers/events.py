"""What each step of an offer tells the family (SPEC.md "Group formation", step 3).

The message is written in the same transaction as the step. Every date is the one
stored on the offer, shown in Kyiv time.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable

from django.urls import reverse

from sadok import clock
from sadok.accounts.models import User
from sadok.applications.models import Guardianship
from sadok.notifications.services import Note, notes_send
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


def kyiv(moment: dt.datetime) -> str:
    return moment.astimezone(clock.KYIV).strftime("%d.%m.%Y %H:%M")


def _texts(offer: Offer, event: OfferEvent) -> tuple[str, str]:
    group = offer.place.group
    where = (
        f"садочок № {group.kindergarten.number} ({group.kindergarten.name}), група «{group.name}»"
    )
    child = offer.child.first_name
    if event == OfferEvent.OFFERED:
        return (
            f"Місце для дитини: {where}",
            f"Для дитини {child} є місце: {where}. Прийміть або відхиліть пропозицію в "
            f"кабінеті до {kyiv(offer.answer_by)} (за Києвом). Якщо не відповісте, участь "
            "дитини в черзі буде тимчасово призупинено, а місце отримає наступна дитина.",
        )
    if event == OfferEvent.REMINDER:
        return (
            f"Нагадування: відповідь до {kyiv(offer.answer_by)}",
            f"Пропозиція місця для дитини {child} ({where}) чекає на вашу відповідь до "
            f"{kyiv(offer.answer_by)}.",
        )
    if event == OfferEvent.ACCEPTED and offer.documents_by is not None:
        return (
            f"Пропозицію прийнято: документи до {kyiv(offer.documents_by)}",
            f"Ви прийняли місце для дитини {child}: {where}. Принесіть керівнику до "
            f"{kyiv(offer.documents_by)}: свідоцтво про народження дитини, медичну довідку "
            "(форма 086-1/о), паспорт одного з батьків, документ про пільгу (якщо є). "
            "Строк можна один раз подовжити в кабінеті.",
        )
    if event == OfferEvent.EXTENDED and offer.documents_by is not None:
        return (
            f"Строк подання документів: {kyiv(offer.documents_by)}",
            f"Строк подання документів для дитини {child} ({where}) подовжено до "
            f"{kyiv(offer.documents_by)}. Більше подовжень немає.",
        )
    if event == OfferEvent.DECLINED:
        return (
            "Пропозицію відхилено",
            f"Ви відмовилися від місця: {where}. Цей садочок прибрано зі списку дитини "
            f"{child}; в інших чергах дитина лишається на своєму місці.",
        )
    if event == OfferEvent.EXPIRED:
        return (
            "Участь у черзі призупинено",
            f"На пропозицію місця ({where}) не надійшло відповіді до {kyiv(offer.answer_by)}. "
            f"Участь дитини {child} у черзі тимчасово призупинено; дата реєстрації збережена. "
            "Відновіть участь у кабінеті, коли будете готові.",
        )
    if event == OfferEvent.DOCUMENTS_MISSED:
        return (
            "Участь у черзі призупинено",
            f"Документи для зарахування ({where}) не подано до "
            f"{kyiv(offer.documents_by or offer.answer_by)}. Участь дитини {child} у черзі "
            "тимчасово призупинено; дата реєстрації збережена.",
        )
    if event == OfferEvent.WITHDRAWN:
        return (
            "Пропозицію відкликано",
            f"Пропозицію місця ({where}) відкликано: {offer.closed_reason}. Дитина {child} "
            "лишається в чергах.",
        )
    return (
        "Дитину зараховано",
        f"Дитину {child} зараховано: {where}.",
    )


def offer_events_record(*, offers: Iterable[Offer], event: OfferEvent) -> None:
    """A cabinet message to every guardian of each offer's child, once per event."""
    offers = list(offers)
    if not offers:
        return
    full = {
        o.pk: o
        for o in Offer.objects.filter(pk__in=[o.pk for o in offers]).select_related(
            "child", "place__group__kindergarten"
        )
    }
    guardians: dict[int, list[User]] = {}
    for guardianship in Guardianship.objects.filter(
        child__in={o.child_id for o in full.values()}
    ).select_related("user"):
        guardians.setdefault(guardianship.child_id, []).append(guardianship.user)
    notes: list[Note] = []
    for offer in full.values():
        subject, body = _texts(offer, event)
        link = reverse("cabinet:child", args=[offer.child_id])
        notes.extend(
            Note(
                user=user,
                kind=str(event),
                subject=subject,
                body=body,
                link=link,
                event_key=f"{event}:{offer.pk}",
            )
            for user in guardians.get(offer.child_id, [])
        )
    notes_send(notes=notes)
