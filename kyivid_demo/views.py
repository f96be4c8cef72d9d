"""The stand-in's sign-in: pick one of the demo Kyivans (no passwords: a demo)."""

from __future__ import annotations

from django.contrib.auth import login
from django.contrib.auth.models import User  # the stand-in's own, not Sadok's
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from kyivid_demo.people import BY_USERNAME, KYIVANS


def pick(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    if request.method == "POST" and request.POST.get("kyivan") in BY_USERNAME:
        user = User.objects.get(username=request.POST["kyivan"])
        # django-stubs types users by Sadok's AUTH_USER_MODEL; the stand-in has its own.
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")  # type: ignore[arg-type]
        return redirect(next_url)
    return render(request, "kyivid_demo/pick.html", {"kyivans": KYIVANS, "next": next_url})
