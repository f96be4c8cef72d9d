"""The claims a KyivID account gives: names with the patronymic, e-mail, phone."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from allauth.idp.oidc.adapter import DefaultOIDCAdapter
from allauth.idp.oidc.models import Client
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import User  # the stand-in's own, not Sadok's

from kyivid_demo.people import BY_USERNAME


class DemoKyivIDAdapter(DefaultOIDCAdapter):
    def get_user_sub(self, client: Client, user: AbstractBaseUser) -> str:
        return user.get_username()

    def get_user_by_sub(self, client: Client, sub: str) -> AbstractBaseUser | None:
        return User.objects.filter(username=sub, is_active=True).first()

    def get_claims(
        self,
        purpose: Literal["id_token", "userinfo"],
        user: AbstractBaseUser,
        client: Client,
        scopes: Iterable[str],
        email: str | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        scopes = set(scopes)
        kyivan = BY_USERNAME[user.get_username()]
        claims: dict[str, Any] = {"sub": kyivan.username}
        if "profile" in scopes:
            claims |= {
                "name": kyivan.full_name,
                "family_name": kyivan.family_name,
                "given_name": kyivan.given_name,
                "middle_name": kyivan.middle_name,
            }
        if "email" in scopes:
            claims |= {"email": kyivan.email, "email_verified": True}
        if "phone" in scopes:
            claims |= {"phone_number": kyivan.phone_number, "phone_number_verified": True}
        return claims
