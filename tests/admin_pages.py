"""The admin's own save of a row, past its form: what the city administrator's
"Save" does (`offers.source_admin.RecordsKept` on the pages of a queue's sources)."""

from typing import Any

from django.contrib import admin
from django.test import RequestFactory


def admin_save(obj: Any, *, by: Any = None) -> None:
    """Save `obj` through its admin page, by `by` (a user; none: a request without one)."""
    request = RequestFactory().post("/")
    if by is not None:
        request.user = by
    admin.site._registry[type(obj)].save_model(request, obj, form=None, change=obj.pk is not None)
