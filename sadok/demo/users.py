"""Demo users of every role: two parents and staff scoped to the demo city.

Here, in the app that composes every app's demo data, because the head and the
officer need a demo kindergarten and district, and accounts sits below
kindergartens. Their logins, password and TOTP secrets are `sadok.accounts.demo`'s.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction

from sadok.accounts.demo import DEMO_DOMAIN, DEMO_PASSWORD, DemoLogin, demo_totp_secret
from sadok.accounts.models import Role, RoleKind, User
from sadok.kindergartens.models import District, Kindergarten


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
                secret = demo_totp_secret(n)
                TOTP.activate(user, secret)
            logins.append(DemoLogin(email=email, role=label, totp_secret=secret))
    return logins
