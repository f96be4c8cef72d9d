from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.views.i18n import set_language

from sadok.accounts.access import Access, access


@access(Access.PUBLIC)
def language_set(request: HttpRequest) -> HttpResponse:
    """Django's language switch, remembered for a signed-in person: their e-mails
    and SMS come in the language they read the site in."""
    response = set_language(request)
    language = request.POST.get("language", "")
    user = request.user
    if user.is_authenticated and language in dict(settings.LANGUAGES):
        get_user_model().objects.filter(pk=user.pk).update(language=language)
    return response
