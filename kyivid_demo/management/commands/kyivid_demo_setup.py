"""Register Sadok as the stand-in's client and create the demo Kyivans (idempotent)."""

from __future__ import annotations

from typing import Any

from allauth.idp.oidc.models import Client
from django.contrib.auth.models import User  # the stand-in's own, not Sadok's
from django.core.management.base import BaseCommand, CommandParser

from kyivid_demo.people import KYIVANS


class Command(BaseCommand):
    help = "Register Sadok at the KyivID stand-in and create the demo Kyivans."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--client-id", required=True)
        parser.add_argument("--client-secret", required=True)
        parser.add_argument("--redirect-uri", required=True, help="Sadok's KyivID callback")

    def handle(
        self, *args: Any, client_id: str, client_secret: str, redirect_uri: str, **options: Any
    ) -> None:
        for kyivan in KYIVANS:
            User.objects.update_or_create(
                username=kyivan.username,
                defaults={
                    "first_name": kyivan.given_name,
                    "last_name": kyivan.family_name,
                    "email": kyivan.email,
                },
            )
        client, _created = Client.objects.update_or_create(
            id=client_id,
            defaults={
                "name": "Sadok",
                "type": Client.Type.CONFIDENTIAL,
                "scopes": "openid\nprofile\nemail\nphone",
                "grant_types": Client.GrantType.AUTHORIZATION_CODE,
                "response_types": "code",
                "redirect_uris": redirect_uri,
                "skip_consent": True,
            },
        )
        client.set_secret(client_secret)  # stored hashed, as a real provider keeps it
        client.save(update_fields=["secret"])
        self.stdout.write(f"KyivID stand-in: client {client_id}, {len(KYIVANS)} demo Kyivans.")
