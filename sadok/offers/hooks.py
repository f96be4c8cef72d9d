"""Where django-allauth's own writes meet the queue: a guardian's verified e-mail
and phone make the family's children "verified" (SPEC.md "The queue"), and allauth
writes both itself. Its adapter (set in settings as `ACCOUNT_ADAPTER`) and its
account hooks bring those writes to the queue records, in allauth's transaction."""

from __future__ import annotations

from typing import Any, cast

from allauth.account.models import EmailAddress
from allauth.account.signals import email_added, email_changed, email_confirmed, email_removed
from django.contrib.auth.base_user import AbstractBaseUser

from sadok.accounts.adapters import AccountAdapter as PeopleAdapter
from sadok.accounts.models import User
from sadok.applications.models import Guardianship
from sadok.journal.models import ActorRole
from sadok.journal.services import actor_as
from sadok.offers.door import queue_changes


def children_of_people(people: list[int | None]) -> list[int]:
    """The children of whom these people are guardians."""
    return list(
        Guardianship.objects.filter(user__in=[p for p in people if p is not None]).values_list(
            "child_id", flat=True
        )
    )


class AccountAdapter(PeopleAdapter):
    """A verified (or changed) phone refreshes the person's children's records."""

    def set_phone(self, user: AbstractBaseUser, phone: str, verified: bool) -> None:
        with queue_changes(actor_as(cast(User, user), ActorRole.PARENT)) as touched:
            super().set_phone(user, phone, verified)
            touched.add(*children_of_people([user.pk]))


def _email(sender: Any, email_address: EmailAddress | None = None, **kwargs: Any) -> None:
    people = [email_address.user_id if email_address is not None else None]
    people += [getattr(kwargs.get("user"), "pk", None)]
    person = User.objects.filter(pk__in=[p for p in people if p is not None]).first()
    with queue_changes(actor_as(person, ActorRole.PARENT)) as touched:
        touched.add(*children_of_people(people))


for _hook in (email_added, email_confirmed, email_removed):
    _hook.connect(_email, dispatch_uid=f"queue_records_{id(_hook)}")


def _email_changed(sender: Any, user: Any = None, **kwargs: Any) -> None:
    person = user if isinstance(user, User) else None
    with queue_changes(actor_as(person, ActorRole.PARENT)) as touched:
        touched.add(*children_of_people([getattr(user, "pk", None)]))


email_changed.connect(_email_changed, dispatch_uid="queue_records_email_changed")
