"""What the staff workspaces' views share: who is asking, the district office
they work in (scoped to theirs), and how a decision's refusal reaches the page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from sadok.accounts.models import User
from sadok.kindergartens.models import District
from sadok.workspace import selectors


def user_of(request: HttpRequest) -> User:
    return cast(User, request.user)


def office_of(request: HttpRequest, slug: str) -> District:
    return get_object_or_404(selectors.districts_of_officer(user=request.user), slug=slug)


def decide(
    request: HttpRequest, success: str, action: Callable[[], Any], form: Any, field: str
) -> bool:
    """Run a decision; its refusal becomes an error on the form's `field` (or the
    form's own, when it is already decided), or a message without a form."""
    try:
        action()
    except ValidationError as error:
        if form is None:
            for text in error.messages:
                messages.error(request, text)
        else:
            form.add_error(None if error.code == "decided" else field, error)
        return False
    messages.success(request, success)
    return True
