from __future__ import annotations

from typing import Any

from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core.management.base import BaseCommand, CommandError, CommandParser

from sadok.accounts.demo import demo_logins
from sadok.demo.city import DOMAIN, city_totp_secret


class Command(BaseCommand):
    help = (
        "Print the current two-factor code of a demo staff user, or of a generated city's "
        "(demo and generated databases only)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")

    def handle(self, *args: Any, email: str, **options: Any) -> None:
        secrets = {login.email: login.totp_secret for login in demo_logins() if login.totp_secret}
        if email.endswith(f"@{DOMAIN}"):  # a generated city's staff (`generate_city`)
            secrets[email] = city_totp_secret(email)
        if email not in secrets:
            raise CommandError(f"{email} is not a demo staff user: one of {', '.join(secrets)}")
        counters = list(yield_hotp_counters_from_time())
        current = counters[len(counters) // 2]
        self.stdout.write(format_hotp_value(hotp_value(secrets[email], current)))
