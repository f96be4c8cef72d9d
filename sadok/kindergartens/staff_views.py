"""Pages of kindergarten heads (and the officers and administrators above them).
A group's own page is in the offers app (sadok.offers.views.group_edit): its
capacity keeps room for the places declared in it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from sadok.accounts.access import Access, access
from sadok.kindergartens import scopes, selectors, services
from sadok.kindergartens.models import Kindergarten
from sadok.kindergartens.staff_forms import KindergartenPageForm


def _managed_kindergarten(request: HttpRequest, number: int) -> Kindergarten:
    return get_object_or_404(scopes.kindergartens_managed_by(user=request.user), number=number)


@access(Access.STAFF)
def kindergarten_edit(request: HttpRequest, number: int) -> HttpResponse:
    kindergarten = _managed_kindergarten(request, number)
    form = KindergartenPageForm(request.POST or None, request.FILES or None, instance=kindergarten)
    if request.method == "POST" and form.is_valid():
        services.kindergarten_page_update(form=form)
        messages.success(request, _("Сторінку садочка збережено."))
        return redirect("kindergartens:staff-edit", number=number)
    return render(
        request,
        "staff/kindergarten_edit.html",
        {
            "kindergarten": kindergarten,
            "form": form,
            "groups": selectors.groups_of(kindergarten=kindergarten),
        },
    )
