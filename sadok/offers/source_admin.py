"""The admin's edits of what the queue knows of a child (a privilege category's
tier, a claim's status, a referral, a duplicate flag, a person's phone or e-mail, a
kindergarten that leaves the directory) refresh the children's queue records in
the admin's own transaction: every admin page of such a model is given the
`RecordsKept` behaviour here, so that no edit reaches the queue unseen."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from sadok.accounts.models import User
from sadok.applications.models import (
    Choice,
    DuplicateFlag,
    Guardianship,
    PrivilegeCategory,
    PrivilegeClaim,
    Referral,
)
from sadok.journal.services import Actor, actor_staff
from sadok.kindergartens.models import Kindergarten
from sadok.offers.door import queue_changes

ChildrenOf = Callable[[QuerySet[Any]], Iterable[int | None]]


def _own(rows: QuerySet[Any]) -> Iterable[int | None]:
    return rows.values_list("child_id", flat=True)


def _of_people(people: QuerySet[Any]) -> Iterable[int | None]:
    return Guardianship.objects.filter(user__in=people).values_list("child_id", flat=True)


# Each model the admin edits whose rows are sources of queue records, and the
# children a set of its rows concerns.
SOURCES: dict[type[Model], ChildrenOf] = {
    PrivilegeCategory: lambda rows: _own(PrivilegeClaim.objects.filter(category__in=rows)),
    PrivilegeClaim: _own,
    Referral: _own,
    DuplicateFlag: _own,
    Kindergarten: lambda rows: _own(Choice.objects.filter(kindergarten__in=rows)),
    User: _of_people,
    EmailAddress: lambda rows: _of_people(User.objects.filter(pk__in=rows.values("user"))),
}


def _actor(request: HttpRequest) -> Actor:
    """The admin's user, in their staff capacity (the city administrator)."""
    user = getattr(request, "user", None)
    return actor_staff(user if isinstance(user, User) else None)


class RecordsKept(admin.ModelAdmin):
    """Saves and deletions refresh the records of the children concerned, before
    and after the change (a row moved to another child concerns both)."""

    children_of: ChildrenOf

    def _one(self, obj: Model) -> QuerySet[Any]:
        return type(obj)._default_manager.filter(pk=obj.pk)

    def save_model(self, request: HttpRequest, obj: Model, form: Any, change: bool) -> None:
        with queue_changes(_actor(request)) as touched:
            if obj.pk is not None:
                touched.add(*self.children_of(self._one(obj)))
            super().save_model(request, obj, form, change)
            touched.add(*self.children_of(self._one(obj)))

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        with queue_changes(_actor(request)) as touched:
            touched.add(*self.children_of(self._one(obj)))
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        with queue_changes(_actor(request)) as touched:
            touched.add(*self.children_of(queryset))
            super().delete_queryset(request, queryset)


for _model, _children_of in SOURCES.items():
    if admin.site.is_registered(_model):
        _base = type(admin.site._registry[_model])
        admin.site.unregister(_model)
        admin.site.register(
            _model,
            type(_base.__name__, (RecordsKept, _base), {"children_of": staticmethod(_children_of)}),
        )
