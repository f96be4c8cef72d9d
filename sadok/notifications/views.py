from __future__ import annotations

from typing import cast

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from sadok import clock
from sadok.accounts.access import Access, access
from sadok.accounts.models import User
from sadok.notifications.models import Message


@access(Access.ACCOUNT)
def inbox(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    return render(
        request,
        "notifications/inbox.html",
        {"messages_list": Message.objects.filter(user=user)[:100]},
    )


@access(Access.ACCOUNT)
def message(request: HttpRequest, message_id: int) -> HttpResponse:
    """Opening a message marks it read."""
    user = cast(User, request.user)
    item = get_object_or_404(Message.objects.filter(user=user), pk=message_id)
    if item.read_at is None:
        item.read_at = clock.now()
        item.save(update_fields=["read_at"])
    return render(request, "notifications/message.html", {"item": item})
