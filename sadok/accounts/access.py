"""Access policies of views: each view declares who may reach it.

The decorator does the coarse check (logged in, staff with MFA, administrator);
the object-level check is the view's scoped selector. The authorization matrix
test reads `view.access` from every URL pattern, so a view without a policy
fails the suite.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from sadok.accounts import selectors


class Access(enum.Enum):
    PUBLIC = "public"  # anyone, no login
    ACCOUNT = "account"  # any logged-in person; objects scoped to their own
    STAFF = "staff"  # heads, officers, administrators, with MFA; objects scoped by role
    ADMIN = "admin"  # city administrators, with MFA


View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def access(policy: Access) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @wraps(view)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            denied = _denial(request, policy)
            return denied if denied is not None else view(request, *args, **kwargs)

        checked.access = policy  # type: ignore[attr-defined]
        return checked  # type: ignore[return-value]

    return decorate


def _denial(request: HttpRequest, policy: Access) -> HttpResponse | None:
    if policy is Access.PUBLIC:
        return None
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if policy is Access.ACCOUNT:
        return None
    allowed = (
        selectors.is_city_admin(user=user)
        if policy is Access.ADMIN
        else selectors.is_staff_member(user=user)
    )
    if not allowed:
        raise PermissionDenied
    if not selectors.has_mfa(user=user):
        messages.warning(
            request,
            _(
                "Щоб працювати в кабінеті персоналу, увімкніть двофакторну автентифікацію: "
                "додайте застосунок-автентифікатор і введіть код з нього."
            ),
        )
        return redirect("mfa_activate_totp")
    return None
