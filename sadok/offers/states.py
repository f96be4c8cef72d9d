"""The offer's life as one table (SPEC.md "Group formation", steps 4-7).

Statuses change only through `next_status`, called by the services; no view or
command writes a status by hand.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sadok.offers.models import OfferStatus


class Event(models.TextChoices):
    ACCEPT = "accept", gettext_lazy("батьки прийняли")
    DECLINE = "decline", gettext_lazy("батьки відмовилися")
    EXPIRE = "expire", gettext_lazy("строк відповіді минув")
    WITHDRAW = "withdraw", gettext_lazy("відкликано")
    CONFIRM_DOCUMENTS = "confirm_documents", gettext_lazy("документи отримано")
    MISS_DOCUMENTS = "miss_documents", gettext_lazy("документи не подано вчасно")
    RELINQUISH = "relinquish", gettext_lazy("батьки відмовилися від прийнятого місця")


TRANSITIONS: dict[tuple[str, str], str] = {
    (OfferStatus.OFFERED, Event.ACCEPT): OfferStatus.ACCEPTED,
    (OfferStatus.OFFERED, Event.DECLINE): OfferStatus.DECLINED,
    (OfferStatus.OFFERED, Event.EXPIRE): OfferStatus.EXPIRED,
    (OfferStatus.OFFERED, Event.WITHDRAW): OfferStatus.WITHDRAWN,
    (OfferStatus.ACCEPTED, Event.CONFIRM_DOCUMENTS): OfferStatus.ENROLLED,
    (OfferStatus.ACCEPTED, Event.MISS_DOCUMENTS): OfferStatus.DOCUMENTS_MISSED,
    # Until the documents are confirmed a family may change its mind (like a decline).
    (OfferStatus.ACCEPTED, Event.RELINQUISH): OfferStatus.RELINQUISHED,
}


class TransitionRefused(Exception):
    """An event that the offer's state does not allow, with a sentence to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


_WHY_NOT = {
    OfferStatus.ACCEPTED: gettext_lazy("Пропозицію вже прийнято."),
    OfferStatus.DECLINED: gettext_lazy("Від цієї пропозиції вже відмовилися."),
    OfferStatus.EXPIRED: gettext_lazy("Строк відповіді на цю пропозицію минув."),
    OfferStatus.WITHDRAWN: gettext_lazy("Цю пропозицію відкликано."),
    OfferStatus.ENROLLED: gettext_lazy("Дитину вже зараховано."),
    OfferStatus.DOCUMENTS_MISSED: gettext_lazy("Документи не подано вчасно."),
    OfferStatus.RELINQUISHED: gettext_lazy("Від цього місця вже відмовилися."),
}


def next_status(current: str, event: str) -> str:
    try:
        return TRANSITIONS[(current, event)]
    except KeyError:
        raise TransitionRefused(
            str(_WHY_NOT.get(current, _("Ця дія для пропозиції зараз неможлива.")))  # type: ignore[call-overload]
        ) from None
