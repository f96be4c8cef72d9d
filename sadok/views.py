from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from sadok.accounts.access import Access, access


def _no_response(request: HttpRequest) -> HttpResponse:
    return HttpResponse()


@csrf_exempt
@access(Access.PUBLIC)
def language_set(request: HttpRequest) -> HttpResponse:
    """Django's language switch, remembered for a signed-in person: their e-mails
    and SMS come in the language they read the site in.

    A visitor's switch needs no CSRF token: it changes only their own language
    cookie, and with no token a public page carries nothing of the request and can
    be kept whole (`sadok.caching.public_page`). A signed-in person's switch also
    changes their account, so their request is checked as every form's is."""
    if request.user.is_authenticated:
        refused = CsrfViewMiddleware(_no_response).process_view(request, _no_response, (), {})
        if refused is not None:
            return refused
    response = set_language(request)
    language = request.POST.get("language", "")
    user = request.user
    if user.is_authenticated and language in dict(settings.LANGUAGES):
        get_user_model().objects.filter(pk=user.pk).update(language=language)
    return response
