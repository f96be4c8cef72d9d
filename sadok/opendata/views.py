"""The anonymised queue of a group, a public page (SPEC.md "Open statistics")."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from sadok import clock
from sadok.accounts.access import Access, access
from sadok.caching import public_page
from sadok.opendata import selectors
from sadok.opendata.forms import NumberForm
from sadok.replica import replica_reads


def _page_number(asked: str | None, pages: int) -> int:
    """The page asked for, within 1..pages (anything else: the first)."""
    if asked is None or not asked.isascii() or not asked.isdigit() or len(asked) > 9:
        return 1
    return min(max(int(asked), 1), pages)


@access(Access.PUBLIC)
@public_page
@replica_reads
def queue(request: HttpRequest, number: int, group_id: int) -> HttpResponse:
    """A group's queue today, page by page; a family finds its row by its number."""
    group = selectors.public_group(number=number, group_id=group_id)
    if group is None:
        raise Http404("No such group in this kindergarten.")
    today = clock.today()
    size = settings.SADOK_QUEUE_PAGE_SIZE
    length = selectors.public_queue_length(group=group, at=today)
    pages = max(1, -(-length // size))
    form = NumberForm(request.GET if "number" in request.GET else None)
    mine, not_found = "", False
    if form.is_bound and form.is_valid():
        mine = selectors.number_normalised(form.cleaned_data["number"])
        place = selectors.public_place(group=group, number=mine, at=today)
        if place is None:
            not_found = True
        else:
            wanted = (place - 1) // size + 1
            if request.GET.get("page") != str(wanted):
                query = urlencode({"number": mine, "page": wanted})
                return redirect(f"{request.path}?{query}#mine")
    page = _page_number(request.GET.get("page"), pages)
    rows = selectors.public_queue(group=group, at=today, offset=(page - 1) * size, limit=size)
    return render(
        request,
        "opendata/queue.html",
        {
            "group": group,
            "kindergarten": group.kindergarten,
            "today": today,
            "length": length,
            "rows": rows,
            "page": page,
            "pages": pages,
            "previous": page - 1 if page > 1 else None,
            "next": page + 1 if page < pages else None,
            "form": form,
            "mine": mine,
            "not_found": not_found,
        },
    )
