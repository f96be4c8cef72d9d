"""django-allauth adapters: where Sadok's users meet allauth's flows."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest
from django.utils.translation import gettext as _

from sadok.accounts.models import User
from sadok.accounts.phones import PhoneField
from sadok.sms import sms_send


class AccountAdapter(DefaultAccountAdapter):
    """Phone numbers live on the user; codes go out through Sadok's SMS layer."""

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
    """Fill the profile from KyivID's claims: names, patronymic and phone."""

    def populate_user(
        self, request: HttpRequest, sociallogin: SocialLogin, data: dict[str, Any]
    ) -> AbstractBaseUser:
        user = cast(User, super().populate_user(request, sociallogin, data))
        claims = _claims(sociallogin)
        user.patronymic = claims.get("middle_name", "") or ""
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
