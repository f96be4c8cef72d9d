"""The family's side of an offer: accept, decline, extend the documents' deadline."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sadok.accounts.access import Access, access
from sadok.accounts.models import User
from sadok.offers import lifecycle
from sadok.offers.models import Offer
from sadok.offers.selectors import place_offered_on
from sadok.offers.states import TransitionRefused


def _family_offer(request: HttpRequest, offer_id: int) -> Offer:
    user = cast(User, request.user)
    return get_object_or_404(Offer.objects.filter(child__guardianships__user=user), pk=offer_id)


def _act(
    request: HttpRequest, offer_id: int, action: Callable[..., object], done: str
) -> HttpResponse:
    offer = _family_offer(request, offer_id)
    try:
        action(offer=offer, user=cast(User, request.user))
    except TransitionRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, done)
    return redirect("cabinet:child", child_id=offer.child_id)


@access(Access.ACCOUNT)
@require_POST
def offer_accept(request: HttpRequest, offer_id: int) -> HttpResponse:
    return _act(
        request,
        offer_id,
        lifecycle.offer_accept,
        _("Пропозицію прийнято. Принесіть документи до вказаної дати."),
    )


@access(Access.ACCOUNT)
@require_POST
def offer_decline(request: HttpRequest, offer_id: int) -> HttpResponse:
    """Declined: the message says what became of the place, never more than is true."""
    offer = _family_offer(request, offer_id)
    try:
        lifecycle.offer_decline(offer=offer, user=cast(User, request.user))
    except TransitionRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            _("Пропозицію відхилено. Місце запропоновано наступній дитині в черзі.")
            if place_offered_on(place_id=offer.place_id)
            else _(
                "Пропозицію відхилено. Місце лишається вільним: зараз у черзі цієї групи "
                "немає дитини, якій воно підходить."
            ),
        )
    return redirect("cabinet:child", child_id=offer.child_id)


@access(Access.ACCOUNT)
@require_POST
def documents_extend(request: HttpRequest, offer_id: int) -> HttpResponse:
    return _act(
        request, offer_id, lifecycle.documents_extend, _("Строк подання документів подовжено.")
    )
