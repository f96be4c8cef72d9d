"""Demo logins of every role, with a fixed password and TOTP secrets (demo only).

The users are created by `sadok.demo.users`: the staff among them are scoped to
demo kindergartens, and accounts imports nothing of kindergartens.
"""

from __future__ import annotations

from dataclasses import dataclass

from sadok.accounts.models import User

DEMO_PASSWORD = "sadok-demo-2026"  # noqa: S105  (printed on start-up; demo database only)
DEMO_DOMAIN = "demo.sadok.kyiv.ua"


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str
    totp_secret: str = ""


def demo_totp_secret(n: int) -> str:
    # Fixed base32 secrets so that `manage.py demo_totp` can print a valid code; the
    # n-th demo user (by pk, as `demo_users_create` makes them) has the n-th.
    return ("SADOKDEMO" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[n] * 23)[:32]


def demo_logins() -> list[DemoLogin]:
    """The demo logins as they are in the database now."""
    logins = []
    for n, user in enumerate(User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").order_by("pk")):
        role = user.roles.first()
        logins.append(
            DemoLogin(
                email=user.email,
                role=str(role) if role else "батьки",
                totp_secret=demo_totp_secret(n) if role else "",
            )
        )
    return logins
