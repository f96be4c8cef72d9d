"""Registration at the district office (IDP families, LKK and PMPK referrals): the
form, the result page that shows the family's code once, and the office's list of
its registrations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from sadok.accounts.access import Access, access
from sadok.applications.services import NewChild
from sadok.offers import office as registration
from sadok.offers.contacts import Contacts
from sadok.workspace import selectors
from sadok.workspace.common import office_of, user_of
from sadok.workspace.forms import (
    OfficeRegistrationForm,
)

# The session key under which a new code waits for its one showing.
_CODE_KEY = "office_code_{}"


def code_keep(request: HttpRequest, issued: registration.Issued) -> HttpResponse:
    """Keep the code for the result page, which shows it once, and go there."""
    request.session[_CODE_KEY.format(issued.child.pk)] = {
        "code": issued.code,
        "expires_at": issued.expires_at.isoformat(),
        "sent_to": issued.sent_to,
    }
    return redirect(
        "workspace:registered",
        slug=issued.child.registered_by_office.slug,  # type: ignore[union-attr]
        child_id=issued.child.pk,
    )


def contacts_of(form: Any) -> Contacts:
    return Contacts(
        email=form.cleaned_data.get("contact_email") or "",
        phone=form.cleaned_data.get("contact_phone") or "",
    )


@access(Access.STAFF)
def register(request: HttpRequest, slug: str) -> HttpResponse:
    """Register a child on the family's behalf (IDP, LKK, PMPK) from its documents."""
    found = office_of(request, slug)
    form = OfficeRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            issued = registration.child_register_at_office(
                officer=user_of(request),
                district=found,
                data=NewChild(
                    data["last_name"],
                    data["first_name"],
                    data["patronymic"],
                    data["born"],
                    form.parsed_certificate,
                ),
                basis=data["basis"],
                valid_until=data["valid_until"],
                kindergartens=data["kindergartens"],
                contacts=contacts_of(form),
                document=data["document"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Дитину зареєстровано: вона вже в черзі."))
            return code_keep(request, issued)
    return render(request, "workspace/register.html", {"district": found, "form": form})


@access(Access.STAFF)
def registered(request: HttpRequest, slug: str, child_id: int) -> HttpResponse:
    """The result of a registration or a new code: the code, shown this once."""
    found = office_of(request, slug)
    child_found = get_object_or_404(selectors.children_in(district=found), pk=child_id)
    kept = request.session.pop(_CODE_KEY.format(child_found.pk), None)
    return render(
        request,
        "workspace/registered.html",
        {
            "district": found,
            "child": child_found,
            "code": kept["code"] if kept else None,
            "expires_at": dt.datetime.fromisoformat(kept["expires_at"]) if kept else None,
            "sent_to": kept["sent_to"] if kept else "",
            "choices": child_found.choices.select_related("kindergarten").order_by("rank"),
        },
    )


@access(Access.STAFF)
def registrations(request: HttpRequest, slug: str) -> HttpResponse:
    """The children this office registered on their families' behalf."""
    found = office_of(request, slug)
    return render(
        request,
        "workspace/registrations.html",
        {"district": found, "children": selectors.registered_by(district=found)[:200]},
    )
