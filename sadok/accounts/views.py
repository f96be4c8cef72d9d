from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sadok.accounts import selectors
from sadok.accounts.access import Access, access


@access(Access.ACCOUNT)
def cabinet(request: HttpRequest) -> HttpResponse:
    """The personal cabinet's front page: the person's roles and where to go next."""
    user = request.user
    return render(
        request,
        "accounts/cabinet.html",
        {
            "roles": selectors.roles_of(user=user),
            "managed": selectors.kindergartens_managed_by(user=user).select_related("district")[
                :50
            ],
            "has_mfa": selectors.has_mfa(user=user),
            "is_staff_member": selectors.is_staff_member(user=user),
        },
    )
