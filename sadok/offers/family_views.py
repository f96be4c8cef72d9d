"""The family's side of an offer: accept, decline, give up an accepted place, extend
the documents' deadline. An answer takes two steps: the button opens a page that
says what will happen, and only its own button (a POST) does it."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

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


def _confirm(request: HttpRequest, offer: Offer, answer: str) -> HttpResponse:
    """The second step of an answer: what it will do, and the button that does it."""
    return render(request, "offers/answer_confirm.html", {"offer": offer, "answer": answer})


@access(Access.ACCOUNT)
@require_http_methods(["GET", "POST"])
def offer_accept(request: HttpRequest, offer_id: int) -> HttpResponse:
    if request.method == "GET":
        return _confirm(request, _family_offer(request, offer_id), "accept")
    return _act(
        request,
        offer_id,
        lifecycle.offer_accept,
        _("Пропозицію прийнято. Принесіть документи до вказаної дати."),
    )


def _place_went_on(offer: Offer, *, what: str) -> str:
    """What became of the place a family let go, never more than is true."""
    if place_offered_on(place_id=offer.place_id):
        return _("%(what)s Місце запропоновано наступній дитині в черзі.") % {"what": what}
    return _(
        "%(what)s Місце лишається вільним: зараз у черзі цієї групи немає дитини, якій "
        "воно підходить."
    ) % {"what": what}


def _let_go(
    request: HttpRequest,
    offer_id: int,
    answer: str,
    action: Callable[..., object],
    what: str,
) -> HttpResponse:
    """Decline an offer or give up an accepted place, in two steps; the message says
    what became of the place, never more than is true."""
    offer = _family_offer(request, offer_id)
    if request.method == "GET":
        return _confirm(request, offer, answer)
    try:
        action(offer=offer, user=cast(User, request.user))
    except TransitionRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _place_went_on(offer, what=what))
    return redirect("cabinet:child", child_id=offer.child_id)


@access(Access.ACCOUNT)
@require_http_methods(["GET", "POST"])
def offer_decline(request: HttpRequest, offer_id: int) -> HttpResponse:
    return _let_go(
        request, offer_id, "decline", lifecycle.offer_decline, _("Пропозицію відхилено.")
    )


@access(Access.ACCOUNT)
@require_http_methods(["GET", "POST"])
def acceptance_withdraw(request: HttpRequest, offer_id: int) -> HttpResponse:
    return _let_go(
        request,
        offer_id,
        "relinquish",
        lifecycle.acceptance_withdraw,
        _("Ви відмовилися від місця."),
    )


@access(Access.ACCOUNT)
@require_POST
def documents_extend(request: HttpRequest, offer_id: int) -> HttpResponse:
    return _act(
        request, offer_id, lifecycle.documents_extend, _("Строк подання документів подовжено.")
    )
