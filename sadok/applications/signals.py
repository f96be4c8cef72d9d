"""Keep the queue records true when a source is saved or deleted anywhere: in our
services, in the admin (a confirmed claim, a cleared flag) or by django-allauth (a
verified e-mail). Writes that bypass `save()` call `queue_records_refresh`
themselves. See `records.py`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from allauth.account.models import EmailAddress
from django.db.models.signals import post_delete, post_save, pre_save

from sadok.accounts.models import User
from sadok.applications.models import (
    Child,
    Choice,
    DuplicateFlag,
    Guardianship,
    PrivilegeCategory,
    PrivilegeClaim,
    Referral,
)
from sadok.applications.records import queue_records_refresh
from sadok.kindergartens.models import Enrollment
from sadok.offers.models import Offer, OfferStatus
from sadok.offers.states import TRANSITIONS

# Fields of a person that a child's record depends on.
_PERSON_FIELDS = {"phone_verified"}


def _refresh(children: Iterable[int | None]) -> None:
    queue_records_refresh(children=[c for c in children if c is not None])


def _of_guardians(users: Iterable[int]) -> list[int | None]:
    return list(
        Guardianship.objects.filter(user__in=list(users)).values_list("child_id", flat=True)
    )


# What a row pointed at before it is saved: a flag or referral moved to another
# child in the admin (or an e-mail address to another person) changes the record
# it leaves as well as the one it joins.
_BEFORE = "_queue_record_before"


def _remember(field: str) -> Any:
    def remember(sender: Any, instance: Any, **kwargs: Any) -> None:
        before = None
        if instance.pk is not None:
            before = sender.objects.filter(pk=instance.pk).values_list(field, flat=True).first()
        setattr(instance, _BEFORE, before)

    return remember


def _before(instance: Any) -> Any:
    return getattr(instance, _BEFORE, None)


def _child(sender: Any, instance: Child, **kwargs: Any) -> None:
    _refresh([instance.pk])


def _belongs_to_child(sender: Any, instance: Any, **kwargs: Any) -> None:
    _refresh([instance.child_id, _before(instance)])


# Only an accepted offer, or one that was accepted, changes where a child is held:
# a withdrawn, declined or expired offer was never accepted (`offers/states.py`).
_HOLDING = {OfferStatus.ACCEPTED} | {
    status for (before, _event), status in TRANSITIONS.items() if before == OfferStatus.ACCEPTED
}


def _offer(sender: Any, instance: Offer, **kwargs: Any) -> None:
    # New offers are written in bulk by the engine and never pass through here.
    # Statuses change only through the transition table (the admin cannot edit
    # them), and every status an accepted offer can move to is in `_HOLDING`.
    if instance.status in _HOLDING:
        _refresh([instance.child_id])


def _person(sender: Any, instance: User, update_fields: Any = None, **kwargs: Any) -> None:
    if update_fields is None or _PERSON_FIELDS & set(update_fields):
        _refresh(_of_guardians([instance.pk]))


def _email(sender: Any, instance: EmailAddress, **kwargs: Any) -> None:
    _refresh(_of_guardians([u for u in (instance.user_id, _before(instance)) if u is not None]))


def _category(sender: Any, instance: PrivilegeCategory, **kwargs: Any) -> None:
    _refresh(PrivilegeClaim.objects.filter(category=instance).values_list("child_id", flat=True))


def connect() -> None:
    for model in (Choice, PrivilegeClaim, Referral, DuplicateFlag, Guardianship, Enrollment):
        pre_save.connect(
            _remember("child_id"), sender=model, dispatch_uid=f"queue_record_{model.__name__}_was"
        )
    pre_save.connect(
        _remember("user_id"), sender=EmailAddress, dispatch_uid="queue_record_email_was"
    )
    for signal in (post_save, post_delete):
        signal.connect(_child, sender=Child, dispatch_uid=f"queue_record_child_{id(signal)}")
        for model in (Choice, PrivilegeClaim, Referral, DuplicateFlag, Guardianship, Enrollment):
            signal.connect(
                _belongs_to_child,
                sender=model,
                dispatch_uid=f"queue_record_{model.__name__}_{id(signal)}",
            )
        signal.connect(_offer, sender=Offer, dispatch_uid=f"queue_record_offer_{id(signal)}")
        signal.connect(_email, sender=EmailAddress, dispatch_uid=f"queue_record_email_{id(signal)}")
        signal.connect(
            _category, sender=PrivilegeCategory, dispatch_uid=f"queue_record_category_{id(signal)}"
        )
    # A deleted person's guardianships are deleted first, and refresh on their own.
    post_save.connect(_person, sender=User, dispatch_uid="queue_record_person")
