"""Where a family stands, in one sentence with the next thing to do.

The cabinet's home and the child's page both start from it, so that a family reads
one account of what happened — taken from the child's offers, its place and its
record, never assumed (an offer declined says nothing of who got the place).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from sadok.allocation.model import Reason
from sadok.applications.models import (
    Child,
    ChildStatus,
    ClaimStatus,
)
from sadok.kindergartens.models import Enrollment
from sadok.offers.models import LIVE, Offer, OfferStatus
from sadok.queue.models import QueueRecord


class FamilyState(StrEnum):
    """Each state a family can be in, the most pressing first (SPEC.md "Group
    formation"): an offer waiting for an answer comes before anything else."""

    OFFERED = "offered"
    UPGRADED = "upgraded"
    ACCEPTED = "accepted"
    EXTENDED = "extended"
    DEACTIVATED = "deactivated"
    ENROLLED_WAITING = "enrolled_waiting"
    ENROLLED = "enrolled"
    FLAGGED = "flagged"
    UNVERIFIED = "unverified"
    NO_CHOICES = "no_choices"
    DECLINED = "declined"
    CLAIM_PENDING = "claim_pending"
    WAITING = "waiting"


@dataclass(frozen=True)
class Situation:
    state: FamilyState
    sentence: str
    action: str  # the next thing to do, as a link's text; empty: nothing to do now
    url: str
    offer: Offer | None = None

    @property
    def held_kindergarten(self) -> int | None:
        """The kindergarten whose offer the family holds: its queue position no
        longer tells anything."""
        if self.offer is None or self.state not in _HOLDING:
            return None
        return self.offer.place.group.kindergarten_id


_HOLDING = {
    FamilyState.OFFERED,
    FamilyState.UPGRADED,
    FamilyState.ACCEPTED,
    FamilyState.EXTENDED,
}


def _when(moment: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "d.m.Y H:i")


def _where(offer: Offer) -> dict[str, object]:
    group = offer.place.group
    return {"number": group.kindergarten.number, "group": group.name}


def situation_of(*, child: Child) -> Situation:
    """The one sentence and next action for this child's family now."""
    page = reverse("cabinet:child", args=[child.pk])
    offers = list(
        Offer.objects.filter(child=child)
        .select_related("place__group__kindergarten")
        .order_by("-made_at", "-pk")[:5]
    )
    live = next((o for o in offers if o.status in LIVE), None)
    if live is not None and live.status == OfferStatus.OFFERED:
        upgraded = live.reason == Reason.UPGRADED
        sentence = (
            _(
                "Є краще місце: садочок № %(number)s, група «%(group)s» — вищий у вашому "
                "списку; попередню пропозицію замінено. Відповідайте до %(date)s."
            )
            if upgraded
            else _(
                "Для дитини є місце: садочок № %(number)s, група «%(group)s». "
                "Відповідайте до %(date)s."
            )
        ) % {**_where(live), "date": _when(live.answer_by)}
        return Situation(
            FamilyState.UPGRADED if upgraded else FamilyState.OFFERED,
            sentence,
            _("Відповісти на пропозицію"),
            f"{page}#offers",
            live,
        )
    if live is not None:
        extended = live.extended_at is not None
        sentence = _(
            "Ви прийняли місце в садочку № %(number)s, група «%(group)s». Принесіть "
            "документи керівнику до %(date)s."
        ) % {**_where(live), "date": _when(live.documents_by or live.answer_by)}
        if extended:
            sentence += " " + _("Строк уже подовжено; більше подовжень немає.")
        return Situation(
            FamilyState.EXTENDED if extended else FamilyState.ACCEPTED,
            sentence,
            _("Які документи принести"),
            f"{page}#offers",
            live,
        )
    if child.status == ChildStatus.DEACTIVATED:
        return Situation(
            FamilyState.DEACTIVATED,
            _(
                "Участь у черзі призупинено: на пропозицію не відповіли або документи не "
                "принесли вчасно. Дата реєстрації збережена."
            ),
            _("Відновити участь у черзі"),
            f"{page}#deactivated",
        )
    # The queue record says the rest in one read: the choices, the standing, the
    # kindergartens where the child holds a place (sadok/queue/records.py).
    record = QueueRecord.objects.filter(child=child).values("verified", "flagged", "lists").first()
    lists = record["lists"] if record else {}
    if lists.get("held"):
        enrollment = (
            Enrollment.objects.filter(child=child, ended_on__isnull=True)
            .select_related("group__kindergarten")
            .first()
        )
        if enrollment is not None:
            return _enrolled(child, enrollment, choices=lists.get("choices", []), page=page)
    if record is not None and record["flagged"]:
        return Situation(
            FamilyState.FLAGGED,
            _(
                "Запис перевіряє РУО: він схожий на інший запис. До перевірки дитина не "
                "в черзі; РУО зв'яжеться з вами, якщо будуть питання."
            ),
            "",
            page,
        )
    if not lists.get("choices"):
        return Situation(
            FamilyState.NO_CHOICES,
            _("Дитина ще не в черзі: оберіть садочки."),
            _("Обрати садочки"),
            f"{page}#choices",
        )
    if record is not None and not record["verified"]:
        return Situation(
            FamilyState.UNVERIFIED,
            _(
                "Дитина ще не в черзі: підтвердьте свій телефон і e-mail — тоді вона "
                "стане в чергу з датою реєстрації."
            ),
            _("Підтвердити контакти"),
            reverse("account_email"),
        )
    last = offers[0] if offers else None
    if last is not None and last.status in (OfferStatus.DECLINED, OfferStatus.RELINQUISHED):
        return Situation(
            FamilyState.DECLINED,
            (
                _(
                    "Ви відмовилися від прийнятого місця в садочку № %(number)s; його "
                    "прибрано зі списку. Дитина знову чекає в черзі інших садочків."
                )
                if last.status == OfferStatus.RELINQUISHED
                else _(
                    "Ви відмовилися від місця в садочку № %(number)s; його прибрано зі "
                    "списку. Дитина чекає в черзі інших садочків."
                )
            )
            % _where(last),
            _("Переглянути черги"),
            f"{page}#choices",
        )
    if child.claims.filter(status=ClaimStatus.PENDING).exists():
        return Situation(
            FamilyState.CLAIM_PENDING,
            _(
                "Дитина в черзі. Заяву на пільгу розглядає РУО; до рішення дитина стоїть "
                "у черзі без пільги."
            ),
            _("Переглянути черги"),
            f"{page}#choices",
        )
    return Situation(
        FamilyState.WAITING,
        _("Дитина в черзі. Щойно звільниться місце, ми надішлемо пропозицію."),
        _("Переглянути черги"),
        f"{page}#choices",
    )


def _enrolled(child: Child, enrollment: Enrollment, *, choices: list[int], page: str) -> Situation:
    """Enrolled; and waiting for the kindergartens ranked above, if the family asked."""
    kindergarten = enrollment.group.kindergarten
    where = {"number": kindergarten.number, "group": enrollment.group.name}
    higher = kindergarten.pk in choices and choices.index(kindergarten.pk) > 0
    if child.keep_waiting and higher:
        return Situation(
            FamilyState.ENROLLED_WAITING,
            _(
                "Дитину зараховано до садочка № %(number)s, група «%(group)s». Вона "
                "чекає в черзі садочків, вищих у вашому списку."
            )
            % where,
            _("Переглянути черги"),
            f"{page}#choices",
        )
    return Situation(
        FamilyState.ENROLLED,
        _("Дитину зараховано до садочка № %(number)s, група «%(group)s».") % where,
        "",
        page,
    )
