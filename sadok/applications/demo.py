"""Demo families: a few hundred children in the queues of the demo city, so that
positions, privileges and the map's figures mean something on `make run`."""

from __future__ import annotations

import datetime as dt
import io
import random

import pypdfium2 as pdfium
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import transaction

from sadok import clock
from sadok.accounts.models import User
from sadok.applications.certificates import parse_ukrainian
from sadok.applications.models import (
    Child,
    Choice,
    ClaimStatus,
    Guardianship,
    LegacyRecord,
    PrivilegeCategory,
    PrivilegeClaim,
    private_storage,
)
from sadok.applications.services import NewChild, child_register, choice_add
from sadok.kindergartens.models import Enrollment, Kindergarten

FAMILY_DOMAIN = "families.demo.sadok.kyiv.ua"
SURNAMES = (
    "Шевченко",
    "Коваленко",
    "Бондаренко",
    "Ткаченко",
    "Кравченко",
    "Олійник",
    "Мельник",
    "Поліщук",
    "Бойко",
    "Лисенко",
    "Руденко",
    "Савченко",
    "Петренко",
    "Гончаренко",
)
NAMES = (
    "Марко",
    "Софія",
    "Іван",
    "Анна",
    "Максим",
    "Дарина",
    "Богдан",
    "Злата",
    "Тимофій",
    "Марія",
    "Данило",
    "Соломія",
    "Назар",
    "Олександра",
)
SERIES = ("I-КВ", "II-КВ", "I-ОК", "III-ЧН", "I-БК", "IV-КВ")


def demo_pdf() -> bytes:
    """One blank A4 page: a document the officers' viewer can render."""
    pdf = pdfium.PdfDocument.new()
    pdf.new_page(595, 842)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def demo_families_create(*, seed: int = 2026, children: int = 480) -> int:
    """Children with ranked kindergartens, mostly in one district, ~10 % privileged."""
    rng = random.Random(seed)
    today = clock.today()
    now = clock.now()
    kindergartens = list(Kindergarten.objects.order_by("number"))
    by_district: dict[int, list[Kindergarten]] = {}
    for k in kindergartens:
        by_district.setdefault(k.district_id, []).append(k)
    categories = list(PrivilegeCategory.objects.order_by("code"))
    password = make_password(None)  # background families cannot sign in
    document = private_storage().save("privileges/demo.pdf", ContentFile(demo_pdf()))
    with transaction.atomic():
        families = User.objects.bulk_create(
            User(
                email=f"family{n}@{FAMILY_DOMAIN}",
                password=password,
                phone_verified=True,
                phone=f"+38067{n:07d}",
            )
            for n in range(children)
        )
        EmailAddress.objects.bulk_create(
            EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in families
        )
        numbers = rng.sample(range(100_000, 999_999), children)
        records = []
        for n, family in enumerate(families):
            born = today - dt.timedelta(days=rng.randint(120, 6 * 365))
            waited = rng.randint(0, max(0, (today - born).days - 30))
            registered = now - dt.timedelta(days=waited, minutes=rng.randint(0, 1440))
            child = Child(
                last_name=rng.choice(SURNAMES),
                first_name=rng.choice(NAMES),
                patronymic="",
                born=born,
                certificate_key=parse_ukrainian(f"{rng.choice(SERIES)} {numbers[n]}").key,
                certificate_display=f"{rng.choice(SERIES)} {numbers[n]}",
                application_number=f"D{n:07d}",
                lottery=rng.randrange(1_000_000),
                registered_at=registered,
                created_at=registered,
            )
            records.append((family, child))
        Child.objects.bulk_create(c for _, c in records)
        Guardianship.objects.bulk_create(
            Guardianship(child=c, user=f, since=c.created_at) for f, c in records
        )
        choices, claims = [], []
        for family, child in records:
            home = by_district[rng.choice(list(by_district))]
            picked = rng.sample(home, min(len(home), rng.randint(1, 5)))
            if rng.random() < 0.2:
                picked.append(rng.choice(kindergartens))
            unique = list({k.pk: k for k in picked}.values())
            for rank, k in enumerate(unique, start=1):
                choices.append(
                    Choice(child=child, kindergarten=k, rank=rank, added_at=child.created_at)
                )
            if rng.random() < 0.1:
                # A few still wait for the district office (its workspace has work).
                pending = rng.random() < 0.25
                claims.append(
                    PrivilegeClaim(
                        child=child,
                        category=rng.choice(categories),
                        document=document,
                        document_type="application/pdf",
                        status=ClaimStatus.PENDING if pending else ClaimStatus.CONFIRMED,
                        submitted_at=child.created_at,
                        submitted_by=family,
                        decided_at=None if pending else child.created_at,
                    )
                )
        Choice.objects.bulk_create(choices)
        PrivilegeClaim.objects.bulk_create(claims)
    return len(records)


def demo_parent_child_create(*, parent: User) -> Child:
    """The first demo parent's child, already in three Obolon queues."""
    obolon = list(Kindergarten.objects.filter(district__slug="obolonskyi").order_by("number")[:3])
    child = child_register(
        user=parent,
        data=NewChild(
            "Шевченко",
            "Марко",
            "Олегович",
            clock.today() - dt.timedelta(days=800),
            parse_ukrainian("I-КВ 654321"),
        ),
        registered_at=clock.now() - dt.timedelta(days=400),
    )
    for kindergarten in obolon:
        choice_add(child=child, kindergarten=kindergarten)
    # The child stood in the old system's queue earlier: the family may restore that
    # date from the child's page (`DEMO_QID`, printed by load_demo_city).
    LegacyRecord.objects.create(
        qid=DEMO_QID,
        certificate_key=child.certificate_key,
        born=child.born,
        registered_on=clock.today() - dt.timedelta(days=700),
        kindergarten_numbers=[k.number for k in obolon],
    )
    return child


DEMO_QID = "Q-DEMO-0001"


# NAMES alternate a boy's and a girl's; a patronymic agrees with the child.
PATRONYMICS = (
    ("Олександрович", "Сергійович", "Петрович", "Андрійович"),
    ("Олександрівна", "Сергіївна", "Петрівна", "Андріївна"),
)


def demo_enrolled_children_name(*, kindergartens: list[int], seed: int = 2026) -> int:
    """Children with names for the enrolled rows of these kindergartens (the demo
    heads' own), so that a head's group list shows who is who. Each is born inside
    its group's age band; it waits for nothing."""

    rng = random.Random(seed + 1)
    today = clock.today()
    now = clock.now()
    rows = list(
        Enrollment.objects.filter(
            group__kindergarten__in=kindergartens, child__isnull=True, ended_on__isnull=True
        )
        .select_related("group")
        .order_by("pk")
    )
    numbers = rng.sample(range(100_000, 999_999), len(rows))
    children = []
    for n, row in enumerate(rows):
        months = rng.randint(row.group.age_from_months, row.group.age_to_months - 1)
        born = today - dt.timedelta(days=round(months * 30.44) + rng.randint(0, 27))
        series = rng.choice(SERIES)
        name = rng.randrange(len(NAMES))
        children.append(
            Child(
                last_name=rng.choice(SURNAMES),
                first_name=NAMES[name],
                patronymic=rng.choice(PATRONYMICS[name % 2]),
                born=born,
                certificate_key=parse_ukrainian(f"{series} {numbers[n]}").key,
                certificate_display=f"{series} {numbers[n]}",
                application_number=f"E{n:07d}",
                lottery=rng.randrange(1_000_000),
                created_at=now,
            )
        )
    with transaction.atomic():
        Child.objects.bulk_create(children)
        for row, child in zip(rows, children, strict=True):
            row.child = child
        Enrollment.objects.bulk_update(rows, ["child"])
    return len(children)
