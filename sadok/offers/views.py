"""The head's page of a group: declare free places, see the queue and the offers."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sadok import clock
from sadok.accounts import selectors as access_selectors
from sadok.accounts.access import Access, access
from sadok.accounts.models import RoleKind, User
from sadok.applications.selectors import next_september
from sadok.kindergartens.models import Group
from sadok.offers import selectors, services
from sadok.offers.forms import DeclarePlacesForm, WithdrawPlaceForm
from sadok.offers.models import Place


def _group(request: HttpRequest, number: int, group_id: int) -> Group:
    return get_object_or_404(
        access_selectors.groups_managed_by(user=request.user).select_related("kindergarten"),
        pk=group_id,
        kindergarten__number=number,
    )


def _is_head(request: HttpRequest, group: Group) -> bool:
    """Only the head of this kindergarten sees names and declares places."""
    return (
        access_selectors.roles_of(user=request.user)
        .filter(kind=RoleKind.HEAD, kindergarten=group.kindergarten_id)
        .exists()
    )


@access(Access.STAFF)
def group_places(request: HttpRequest, number: int, group_id: int) -> HttpResponse:
    group = _group(request, number, group_id)
    is_head = _is_head(request, group)
    free = services.free_capacity(group=group)
    form = DeclarePlacesForm(request.POST or None, free=free)
    if request.method == "POST":
        if not is_head:
            raise PermissionDenied
        if form.is_valid():
            wave = form.cleaned_data["intake"] == "wave"
            try:
                run = services.places_declare(
                    group=group,
                    count=form.cleaned_data["count"],
                    user=request.user if isinstance(request.user, User) else None,
                    wave_date=next_september(clock.today()) if wave else None,
                )
            except ValidationError as error:
                form.add_error("count", error)
            else:
                if run is None:
                    messages.success(request, _("Місця чекатимуть на вересневий набір."))
                else:
                    messages.success(
                        request,
                        _("Оголошено місць: %(places)d. Пропозицій надіслано: %(offers)d.")
                        % run.summary,
                    )
                return redirect("offers:group", number=number, group_id=group_id)
    return render(
        request,
        "offers/group.html",
        {
            "group": group,
            "kindergarten": group.kindergarten,
            "is_head": is_head,
            "free": free,
            "form": form,
            "queue": selectors.queue_of_group(group=group, today=clock.today())[:100],
            "offers": selectors.offers_of_group(group=group)[:100],
            "places": selectors.places_of_group(group=group)[:100],
            "withdraw_form": WithdrawPlaceForm(),
        },
    )


@access(Access.STAFF)
@require_POST
def place_withdraw(request: HttpRequest, number: int, group_id: int, place_id: int) -> HttpResponse:
    group = _group(request, number, group_id)
    if not _is_head(request, group):
        raise PermissionDenied
    place = get_object_or_404(Place, pk=place_id, group=group)
    form = WithdrawPlaceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Вкажіть причину, з якої місце знімається."))
    else:
        try:
            services.place_withdraw(
                place=place,
                user=request.user,  # type: ignore[arg-type]
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Місце знято."))
    return redirect("offers:group", number=number, group_id=group_id)
