"""The head's pages of a group: its settings (capacity), declaring free places, the
queue and the offers."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sadok import clock
from sadok.accounts.access import Access, access
from sadok.accounts.models import User
from sadok.kindergartens import scopes
from sadok.kindergartens.models import Enrollment, Group, GroupChange
from sadok.kindergartens.staff_forms import GroupForm
from sadok.offers import lifecycle, policies, selectors, services
from sadok.offers.forms import DeclarePlacesForm, WithdrawPlaceForm
from sadok.offers.models import Offer, Place
from sadok.offers.states import TransitionRefused
from sadok.queue.selectors import next_september


def _group(request: HttpRequest, number: int, group_id: int) -> Group:
    return get_object_or_404(
        scopes.groups_managed_by(user=request.user).select_related("kindergarten"),
        pk=group_id,
        kindergarten__number=number,
    )


def _is_head(request: HttpRequest, group: Group) -> bool:
    """Only the head of this kindergarten sees names and runs the group (the services
    refuse anyone else: `policies`)."""
    return policies.may_run_group(user=request.user, kindergarten_id=group.kindergarten_id)


@access(Access.STAFF)
def group_edit(request: HttpRequest, number: int, group_id: int | None = None) -> HttpResponse:
    """Create or change a group of a kindergarten the person manages."""
    kindergarten = get_object_or_404(
        scopes.kindergartens_managed_by(user=request.user), number=number
    )
    group = (
        get_object_or_404(Group, pk=group_id, kindergarten=kindergarten)
        if group_id is not None
        else Group(kindergarten=kindergarten)
    )
    enrolled = selectors.group_room(group=group).enrolled if group.pk else 0
    form = GroupForm(request.POST or None, instance=group, enrolled=enrolled)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.group_save(
                form=form, kindergarten=kindergarten, user=cast(User, request.user)
            )
        except ValidationError as error:
            field = {"band": "age_to_months", "name": "name"}.get(str(error.code), "capacity")
            form.add_error(field, error)
        else:
            if isinstance(saved, GroupChange):
                messages.success(
                    request,
                    _(
                        "Зміну надіслано на затвердження РУО. До рішення група і черга "
                        "залишаються такими, як були; назву й мову змінено одразу."
                    ),
                )
            else:
                messages.success(request, _("Групу збережено."))
            if saved.over_legal_reason:
                messages.warning(
                    request,
                    _("Місткість групи більша за норму закону. Причину записано; її побачить РУО."),
                )
            return redirect("workspace:kindergarten", number=number)
    return render(
        request,
        "staff/group_edit.html",
        {"kindergarten": kindergarten, "group": group, "form": form, "enrolled": enrolled},
    )


@access(Access.STAFF)
def group_places(request: HttpRequest, number: int, group_id: int) -> HttpResponse:
    group = _group(request, number, group_id)
    is_head = _is_head(request, group)
    free = selectors.group_room(group=group).free
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
            "accepted": selectors.accepted_offers_of_group(group=group),
            "enrolled": list(selectors.group_list(group=group)),
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


@access(Access.STAFF)
@require_POST
def confirm_documents(
    request: HttpRequest, number: int, group_id: int, offer_id: int
) -> HttpResponse:
    """The head has the documents in hand: the child is enrolled."""
    group = _group(request, number, group_id)
    if not _is_head(request, group):
        raise PermissionDenied
    offer = get_object_or_404(Offer, pk=offer_id, place__group=group)
    try:
        lifecycle.documents_confirm(offer=offer, user=cast(User, request.user))
    except TransitionRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Дитину зараховано до групи."))
    return redirect("offers:group", number=number, group_id=group_id)


@access(Access.STAFF)
@require_POST
def release(request: HttpRequest, number: int, group_id: int, enrollment_id: int) -> HttpResponse:
    """A child leaves the group: the place is offered to the next child at once."""
    group = _group(request, number, group_id)
    if not _is_head(request, group):
        raise PermissionDenied
    enrollment = get_object_or_404(Enrollment, pk=enrollment_id, group=group)
    try:
        run = lifecycle.enrollment_release(
            enrollment=enrollment,
            user=cast(User, request.user),
            reason=request.POST.get("reason", ""),
        )
    except TransitionRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            _("Місце звільнено. Пропозицій надіслано: %(offers)d.") % run.summary,
        )
    return redirect("offers:group", number=number, group_id=group_id)
