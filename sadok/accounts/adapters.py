"""django-allauth adapters: where Sadok's users meet allauth's flows."""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from types import SimpleNamespace
from typing import Any, cast
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import ratelimit
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sadok.accounts.models import User
from sadok.accounts.names import person_name_salvage
from sadok.accounts.phones import PhoneField
from sadok.sms import sms_send

log = logging.getLogger(__name__)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def second_factor_key(user: AbstractBaseUser) -> str:
    """The key allauth counts a person's wrong second-factor codes under
    (allauth.mfa.base.internal.flows.check_rate_limit)."""
    return f"mfa-auth-user-{user.pk}"


class AccountAdapter(DefaultAccountAdapter):
    """Phone numbers live on the user; codes go out through Sadok's SMS layer.
    Wrong passwords count per (account, client), and a password reset clears them."""

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": gettext_lazy(
            "Забагато невдалих спроб. Зачекайте кілька хвилин (з кожною новою серією "
            "невдалих спроб — довше) або відновіть пароль."
        ),
    }

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        # allauth counts wrong passwords under this key, per address alone: anyone
        # could then keep a parent out. Per (address, client) a stranger's tries
        # count against the stranger; the address's epoch changes on a password
        # reset, which so clears the counts of every client at once.
        login = str(credentials.get("email", credentials.get("username", ""))).strip().lower()
        epoch = cache.get(f"sadok:login-epoch:{_digest(login)}", "0")
        return f"{login}:{epoch}:{self.get_client_ip(request)}"

    def _delete_login_attempts_cached_email(self, request: HttpRequest, **credentials: Any) -> None:
        # allauth calls this after a successful password reset, for each address.
        login = str(credentials.get("email", "")).strip().lower()
        cache.set(f"sadok:login-epoch:{_digest(login)}", secrets.token_hex(8), timeout=None)
        owner = User.objects.filter(emailaddress__email__iexact=login).first()
        if owner is not None:
            ratelimit.clear(request, action="login_failed", key=second_factor_key(owner))
        log.info("login limits cleared by a password reset: user %s", getattr(owner, "pk", None))

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            log.warning(
                "password refused, too many wrong ones: client %s", self.get_client_ip(request)
            )
            raise

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        login = str(credentials.get("email", credentials.get("username", ""))).strip().lower()
        owner = User.objects.filter(email__iexact=login).values_list("pk", flat=True).first()
        log.warning(
            "wrong password: user %s, client %s", owner or "unknown", self.get_client_ip(request)
        )

    def set_phone(self, user: AbstractBaseUser, phone: str, verified: bool) -> None:
        person = cast(User, user)
        person.phone, person.phone_verified = phone, verified
        person.save(update_fields=["phone", "phone_verified"])

    def get_phone(self, user: AbstractBaseUser) -> tuple[str, bool] | None:
        person = cast(User, user)
        return (person.phone, person.phone_verified) if person.phone else None

    def set_phone_verified(self, user: AbstractBaseUser, phone: str) -> None:
        self.set_phone(user, phone, True)

    def get_user_by_phone(self, phone: str) -> AbstractBaseUser | None:
        return User.objects.filter(phone=phone, phone_verified=True).order_by("pk").first()

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # allauth names the site after the request's host ("127.0.0.1:8400"); an
        # e-mail names Sadok and the address families know it by.
        site = SimpleNamespace(
            name=settings.SADOK_SITE_NAME, domain=urlsplit(settings.SADOK_BASE_URL).netloc
        )
        super().send_mail(
            template_prefix,
            email,
            {"current_site": site, "site_url": settings.SADOK_BASE_URL, **context},
        )

    def phone_form_field(self, **kwargs: Any) -> Any:
        # `067 123 45 67` as well as +380…: allauth's own field takes E.164 only.
        return PhoneField(**kwargs)

    def send_verification_code_sms(
        self, user: AbstractBaseUser, phone: str, code: str, **kwargs: Any
    ) -> None:
        # Sent at once, not through the outbox: the person is waiting on the page.
        sms_send(phone=phone, text=_("Sadok: код підтвердження %(code)s") % {"code": code})

    def send_unknown_account_sms(self, phone: str, **kwargs: Any) -> None:
        sms_send(phone=phone, text=_("Sadok: цей номер не прив'язано до жодного кабінету."))

    def send_account_already_exists_sms(self, phone: str) -> None:
        sms_send(
            phone=phone,
            text=_("Sadok: кабінет із цим номером уже є. Увійдіть або відновіть пароль."),
        )


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Fill the profile from KyivID's claims: names, patronymic and phone; log why
    a login through KyivID (or Google, Facebook) failed."""

    def on_authentication_error(
        self,
        request: HttpRequest,
        provider: Any,
        error: Any = None,
        exception: BaseException | None = None,
        extra_context: dict[str, Any] | None = None,
    ) -> None:
        context = extra_context if extra_context is not None else {}
        failure, reason = _login_failure(request, error, exception, context)
        # An operator must act on a misconfiguration; a refused login is the person's.
        (log.error if failure == "misconfigured" else log.warning)(
            "login through %s failed, %s: %s", getattr(provider, "id", provider), failure, reason
        )
        context["failure"] = failure  # the error page tells the three apart
        super().on_authentication_error(
            request, provider, error=error, exception=exception, extra_context=extra_context
        )

    def populate_user(
        self, request: HttpRequest, sociallogin: SocialLogin, data: dict[str, Any]
    ) -> AbstractBaseUser:
        user = cast(User, super().populate_user(request, sociallogin, data))
        claims = _claims(sociallogin)
        user.first_name = person_name_salvage(user.first_name or "")
        user.last_name = person_name_salvage(user.last_name or "")
        user.patronymic = person_name_salvage(claims.get("middle_name", "") or "")
        phone = claims.get("phone_number") or ""
        if phone:
            user.phone = phone
            # One verified phone per person: a number verified by someone else here
            # stays unverified until this person confirms it with a code.
            taken = User.objects.filter(phone=phone, phone_verified=True).exists()
            user.phone_verified = claims.get("phone_number_verified") is True and not taken
        return user


def _claims(sociallogin: SocialLogin) -> dict[str, Any]:
    extra = sociallogin.account.extra_data or {}
    merged: dict[str, Any] = {}
    merged.update(extra.get("id_token") or {})
    merged.update(extra.get("userinfo") or {})
    return merged


_CLIENT_REFUSED = ("invalid_client", "unauthorized_client", "redirect_uri")


def _login_failure(
    request: HttpRequest, error: Any, exception: BaseException | None, context: dict[str, Any]
) -> tuple[str, str]:
    """(misconfigured | unavailable | refused, a reason fit for a log: no tokens,
    no personal data)."""
    from requests import RequestException

    from sadok.accounts.kyivid.views import KyivIDMisconfigured

    if isinstance(exception, KyivIDMisconfigured):
        return "misconfigured", str(exception)[:200]  # Sadok's own words: no secret
    if exception is not None and any(code in str(exception) for code in _CLIENT_REFUSED):
        return "misconfigured", "the token endpoint refused Sadok's client credentials"
    if isinstance(exception, RequestException):
        return "unavailable", f"the provider did not answer ({type(exception).__name__})"
    if exception is not None:
        return "refused", f"{type(exception).__name__}: {_loggable(str(exception))}"
    if "state" not in context:
        return "refused", "no login of this browser matches the callback's state"
    answered = re.sub(r"[^a-z_]", "", str(request.GET.get("error", "")))[:40]
    return "refused", f"the provider answered error={answered or 'none'} ({error})"


def _loggable(text: str) -> str:
    # Anything long and token-like goes: a log line must never carry a credential.
    return re.sub(r"[A-Za-z0-9_\-.~+/=]{24,}", "[…]", text)[:200]
