"""Pages of kindergarten heads (and the officers and administrators above them)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from sadok.accounts.access import Access, access
from sadok.kindergartens import scopes, selectors, services
from sadok.kindergartens.models import Group, Kindergarten
from sadok.kindergartens.staff_forms import GroupForm, KindergartenPageForm


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


@access(Access.STAFF)
def group_edit(request: HttpRequest, number: int, group_id: int | None = None) -> HttpResponse:
    kindergarten = _managed_kindergarten(request, number)
    group = (
        get_object_or_404(Group, pk=group_id, kindergarten=kindergarten)
        if group_id is not None
        else Group(kindergarten=kindergarten)
    )
    enrolled = group.enrollments.filter(ended_on__isnull=True).count() if group.pk else 0
    form = GroupForm(request.POST or None, instance=group, enrolled=enrolled)
    if request.method == "POST" and form.is_valid():
        try:
            services.group_save(form=form, kindergarten=kindergarten)
        except ValidationError as error:
            form.add_error("capacity", error)
        else:
            messages.success(request, _("Групу збережено."))
            return redirect("kindergartens:staff-edit", number=number)
    return render(
        request,
        "staff/group_edit.html",
        {"kindergarten": kindergarten, "group": group, "form": form, "enrolled": enrolled},
    )
