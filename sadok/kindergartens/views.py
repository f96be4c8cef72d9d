from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from sadok import clock
from sadok.accounts.access import Access, access
from sadok.caching import public_page
from sadok.kindergartens import extras, selectors
from sadok.kindergartens.forms import DirectoryFilterForm
from sadok.kindergartens.models import Kindergarten


def _marker(kindergarten: Kindergarten, *, link: bool) -> dict[str, object]:
    """What the map shows of a kindergarten: public facts only."""
    return {
        "number": kindergarten.number,
        "name": kindergarten.name,
        "address": kindergarten.address,
        "lat": kindergarten.latitude,
        "lng": kindergarten.longitude,
        # Declared free places (offers go out), offered, and room the head has not declared.
        "open": kindergarten.open_places,  # type: ignore[attr-defined]
        "offered": kindergarten.offered_places,  # type: ignore[attr-defined]
        "undeclared": kindergarten.undeclared,  # type: ignore[attr-defined]
        "total": kindergarten.total,  # type: ignore[attr-defined]
        "url": reverse("kindergartens:detail", kwargs={"number": kindergarten.number})
        if link
        else "",
        "add_url": reverse("cabinet:pick-child", kwargs={"number": kindergarten.number}),
    }


@access(Access.PUBLIC)
@public_page
def directory(request: HttpRequest) -> HttpResponse:
    """The public map and list of kindergartens, with filters."""
    form = DirectoryFilterForm(request.GET or None)
    filters = form.to_filter() if request.GET else selectors.DirectoryFilter()
    kindergartens = selectors.kindergartens_filtered(filters=filters, today=clock.today())
    markers = [_marker(k, link=True) for k in kindergartens]
    page = Paginator(kindergartens, settings.SADOK_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "kindergartens/directory.html",
        {
            "form": form,
            "page": page,
            "found": len(markers),
            "markers": markers,
            "query": query.urlencode(),
        },
    )


@access(Access.PUBLIC)
@public_page
def detail(request: HttpRequest, number: int) -> HttpResponse:
    """A kindergarten's public page: contacts, map, groups and their places."""
    page = selectors.kindergarten_page(number=number)
    if page is None:
        raise Http404("No kindergarten with this number.")
    kindergarten, groups = page
    # Each group's public queue, from the app above that shows it (extras.py).
    queues = extras.group_queues_of(kindergarten=kindergarten, groups=groups, today=clock.today())
    for group in groups:
        setattr(group, "public_queue", queues.get(group.pk))  # noqa: B010
    return render(
        request,
        "kindergartens/detail.html",
        {
            "kindergarten": kindergarten,
            "groups": groups,
            "specialisations": kindergarten.specialisations.all(),
            "markers": [_marker(kindergarten, link=False)],
        },
    )
