"""Demo users of every role, with fixed passwords and TOTP secrets (demo only)."""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction

from sadok.accounts.models import Role, RoleKind, User
from sadok.kindergartens.models import District, Kindergarten

DEMO_PASSWORD = "sadok-demo-2026"  # noqa: S105  (printed on start-up; demo database only)
DEMO_DOMAIN = "demo.sadok.kyiv.ua"


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str
    totp_secret: str = ""


def _totp_secret(n: int) -> str:
    # Fixed base32 secrets so that `manage.py demo_totp` can print a valid code.
    return ("SADOKDEMO" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[n] * 23)[:32]


def demo_users_create() -> list[DemoLogin]:
    """Two parents, a head, a district officer and a city administrator."""
    kindergarten = (
        Kindergarten.objects.filter(district__slug="obolonskyi").order_by("number").first()
    )
    district = District.objects.get(slug="obolonskyi")
    if kindergarten is None:
        raise ValueError("Load the demo kindergartens before the demo users.")
    people = [
        ("parent1", "Шевченко", "Олена", "Петрівна", "+380501234501", None, "батьки"),
        ("parent2", "Коваленко", "Андрій", "Іванович", "+380501234502", None, "батьки"),
        (
            "head",
            "Бондаренко",
            "Світлана",
            "Миколаївна",
            "+380501234503",
            Role(kind=RoleKind.HEAD, kindergarten=kindergarten),
            f"керівник ДНЗ № {kindergarten.number}",
        ),
        (
            "officer",
            "Мельник",
            "Ірина",
            "Олегівна",
            "+380501234504",
            Role(kind=RoleKind.OFFICER, district=district),
            "РУО Оболонського району",
        ),
        (
            "admin",
            "Ткаченко",
            "Олег",
            "Васильович",
            "+380501234505",
            Role(kind=RoleKind.ADMIN),
            "адміністратор Департаменту освіти",
        ),
    ]
    logins = []
    with transaction.atomic():
        for n, (login, last, first, patronymic, phone, role, label) in enumerate(people):
            email = f"{login}@{DEMO_DOMAIN}"
            user = User.objects.create_user(
                email,
                DEMO_PASSWORD,
                last_name=last,
                first_name=first,
                patronymic=patronymic,
                phone=phone,
                phone_verified=True,
            )
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
            secret = ""
            if role is not None:
                role.user = user
                role.save()
                secret = _totp_secret(n)
                TOTP.activate(user, secret)
            logins.append(DemoLogin(email=email, role=label, totp_secret=secret))
    return logins


def demo_logins() -> list[DemoLogin]:
    """The demo logins as they are in the database now."""
    logins = []
    for n, user in enumerate(User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").order_by("pk")):
        role = user.roles.first()
        logins.append(
            DemoLogin(
                email=user.email,
                role=str(role) if role else "батьки",
                totp_secret=_totp_secret(n) if role else "",
            )
        )
    return logins
