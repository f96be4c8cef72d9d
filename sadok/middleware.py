from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _


class LanguageMiddleware:
    """Ukrainian for everyone unless the visitor chose another language.

    Django's LocaleMiddleware would follow the browser's Accept-Language header;
    a city service speaks Ukrainian by default, and English only on request
    (the language switch sets a cookie).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        # override, not activate: the thread goes back to its language afterwards.
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        response.headers["Vary"] = ", ".join(filter(None, [response.headers.get("Vary"), "Cookie"]))
        return response


class SignedInNoStoreMiddleware:
    """No page seen signed in is kept by a browser or a proxy: a shared computer's
    back button, or a cache in between, must not show a family's cabinet to the
    next person."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response


# Control characters: C0 and C1 but the tab, line feed and carriage return a
# multi-line text may hold. NUL breaks PostgreSQL's text; the others have no place
# in anything a person types.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


# Where config/urls.py mounts the open data API.
API_PREFIX = "/api/"


class ControlCharactersMiddleware:
    """The one place where every query parameter and form value is checked for
    control characters: a request carrying one is refused before any view runs
    (400, with a page that says what to do), so that no view, form or query has
    to think of them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        sources = [request.GET, request.POST] if request.method == "POST" else [request.GET]
        for source in sources:
            for key, values in source.lists():
                if any(_CONTROL.search(text) for text in (key, *values)):
                    if request.path_info.startswith(API_PREFIX):
                        # The open data API answers in JSON, as its schema says.
                        detail = _("Запит містить керівні символи: приберіть їх.")
                        return JsonResponse({"detail": detail}, status=400)
                    return render(request, "bad_input.html", status=400)
        return self.get_response(request)
