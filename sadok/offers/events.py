"""What each step of an offer tells the family (SPEC.md "Group formation", step 3).

A cabinet message always; an e-mail to a verified address; an SMS to a verified
phone unless the family switched SMS off. All are written in the same transaction
as the step (the outbox), each in the guardian's language. Every date is the one
stored on the offer, shown in Kyiv time.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

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


def kyiv(moment: dt.datetime | None) -> str:
    return moment.astimezone(clock.KYIV).strftime("%d.%m.%Y %H:%M") if moment else ""


def _short(moment: dt.datetime | None) -> str:
    return moment.astimezone(clock.KYIV).strftime("%d.%m %H:%M") if moment else ""


def texts(offer: Offer, event: OfferEvent) -> tuple[str, str, str]:
    """Subject, body and SMS (short: Cyrillic SMS segments hold 70 characters)."""
    group = offer.place.group
    k = group.kindergarten
    values = {
        "child": offer.child.first_name,
        "number": k.number,
        "name": k.name,
        "group": group.name,
        "answer_by": kyiv(offer.answer_by),
        "answer_by_short": _short(offer.answer_by),
        "documents_by": kyiv(offer.documents_by),
        "documents_by_short": _short(offer.documents_by),
        "reason": offer.closed_reason,
    }
    where = _("садочок № %(number)s «%(name)s», група «%(group)s»") % values
    values["where"] = where
    if event == OfferEvent.OFFERED:
        return (
            _("Місце для дитини: %(where)s") % values,
            _(
                "Для дитини %(child)s є місце: %(where)s. Прийміть або відхиліть пропозицію в "
                "кабінеті до %(answer_by)s (за Києвом). Якщо не відповісте, участь дитини в "
                "черзі буде тимчасово призупинено, а місце отримає наступна дитина."
            )
            % values,
            _("Sadok: місце в садочку №%(number)s. Відповідь до %(answer_by_short)s") % values,
        )
    if event == OfferEvent.REMINDER:
        return (
            _("Нагадування: відповідь до %(answer_by)s") % values,
            _(
                "Пропозиція місця для дитини %(child)s (%(where)s) чекає на вашу відповідь до "
                "%(answer_by)s."
            )
            % values,
            _("Sadok: нагадування, відповідь щодо садочка №%(number)s до %(answer_by_short)s")
            % values,
        )
    if event == OfferEvent.ACCEPTED:
        return (
            _("Пропозицію прийнято: документи до %(documents_by)s") % values,
            _(
                "Ви прийняли місце для дитини %(child)s: %(where)s. Принесіть керівнику до "
                "%(documents_by)s: свідоцтво про народження дитини, медичну довідку (форма "
                "086-1/о), паспорт одного з батьків, документ про пільгу (якщо є). Строк можна "
                "один раз подовжити в кабінеті."
            )
            % values,
            _("Sadok: документи до садочка №%(number)s до %(documents_by_short)s") % values,
        )
    if event == OfferEvent.EXTENDED:
        return (
            _("Строк подання документів: %(documents_by)s") % values,
            _(
                "Строк подання документів для дитини %(child)s (%(where)s) подовжено до "
                "%(documents_by)s. Більше подовжень немає."
            )
            % values,
            _("Sadok: документи до садочка №%(number)s до %(documents_by_short)s") % values,
        )
    if event == OfferEvent.DECLINED:
        return (
            _("Пропозицію відхилено"),
            _(
                "Ви відмовилися від місця: %(where)s. Цей садочок прибрано зі списку дитини "
                "%(child)s; в інших чергах дитина лишається на своєму місці."
            )
            % values,
            _("Sadok: відмову від садочка №%(number)s прийнято") % values,
        )
    if event in (OfferEvent.EXPIRED, OfferEvent.DOCUMENTS_MISSED):
        body = (
            _(
                "На пропозицію місця (%(where)s) не надійшло відповіді до %(answer_by)s. "
                "Участь дитини %(child)s у черзі тимчасово призупинено; дата реєстрації "
                "збережена. Відновіть участь у кабінеті, коли будете готові."
            )
            if event == OfferEvent.EXPIRED
            else _(
                "Документи для зарахування (%(where)s) не подано до %(documents_by)s. Участь "
                "дитини %(child)s у черзі тимчасово призупинено; дата реєстрації збережена."
            )
        )
        return (
            _("Участь у черзі призупинено"),
            body % values,
            _("Sadok: участь у черзі призупинено. Відновіть її в кабінеті") % values,
        )
    if event == OfferEvent.WITHDRAWN:
        return (
            _("Пропозицію відкликано"),
            _(
                "Пропозицію місця (%(where)s) відкликано: %(reason)s. Дитина %(child)s лишається "
                "в чергах."
            )
            % values,
            _("Sadok: пропозицію садочка №%(number)s відкликано") % values,
        )
    return (
        _("Дитину зараховано"),
        _("Дитину %(child)s зараховано: %(where)s.") % values,
        _("Sadok: дитину зараховано до садочка №%(number)s") % values,
    )


def offer_events_record(*, offers: Iterable[Offer], event: OfferEvent) -> None:
    """Tell every guardian of each offer's child, once per event and person."""
    offers = list(offers)
    if not offers:
        return
    full = Offer.objects.filter(pk__in=[o.pk for o in offers]).select_related(
        "child", "place__group__kindergarten"
    )
    guardians: dict[int, list[User]] = {}
    for guardianship in Guardianship.objects.filter(
        child__in={o.child_id for o in offers}
    ).select_related("user"):
        guardians.setdefault(guardianship.child_id, []).append(guardianship.user)
    notes: list[Note] = []
    rendered: dict[tuple[int, str], tuple[str, str, str]] = {}
    for offer in full:
        link = reverse("cabinet:child", args=[offer.child_id])
        for user in guardians.get(offer.child_id, []):
            key = (offer.pk, user.language)
            if key not in rendered:
                with translation.override(user.language):
                    rendered[key] = texts(offer, event)
            subject, body, sms = rendered[key]
            notes.append(
                Note(
                    user=user,
                    kind=str(event),
                    subject=subject,
                    body=body,
                    sms=sms,
                    link=link,
                    event_key=f"{event}:{offer.pk}",
                )
            )
    notes_send(notes=notes)
