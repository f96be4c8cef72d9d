"""A Kyiv-scale city written to the database: `manage.py generate_city`.

The city of `sadok.demo.synthetic` (the benchmarks' city, as the engine sees it)
becomes districts (Kyiv's ten), kindergartens on real streets, groups by band,
families with their children, choices, confirmed privileges and referrals,
enrollments, duplicate flags, staff accounts (a head for every kindergarten, an
officer for every district, a city administrator), the queue records, and the
journal's genesis events, so that the public log begins with the city as "one door"
would have written it. Written in bulk: 120,000 children take about two minutes.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import random
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import transaction

from sadok.accounts.models import Role, RoleKind, User
from sadok.applications.demo import NAMES, SURNAMES, demo_pdf
from sadok.applications.models import (
    Child,
    ChildStatus,
    Choice,
    ClaimStatus,
    DuplicateFlag,
    Guardianship,
    PrivilegeCategory,
    PrivilegeClaim,
    Referral,
    private_storage,
)
from sadok.applications.privileges import privilege_categories_ensure
from sadok.demo.synthetic import AGE_BANDS, City
from sadok.kindergartens.demo import DISTRICTS, SPECIALISATIONS
from sadok.kindergartens.models import (
    District,
    Enrollment,
    Group,
    GroupKind,
    Kindergarten,
    Specialisation,
)
from sadok.offers.genesis import genesis_ensure
from sadok.queue.records import queue_records_refresh

DOMAIN = "city.sadok.kyiv.ua"
BATCH = 10_000
# One band per group kind, youngest first (`synthetic.AGE_BANDS`).
KINDS = (GroupKind.NURSERY, GroupKind.YOUNGER, GroupKind.MIDDLE, GroupKind.OLDER, GroupKind.OLDER)
NAMES_OF_BANDS = ("ясельна", "молодша", "середня", "старша", "передшкільна")
# The special groups' specialisation by referral kind.
SPECIAL = {"pmpk": "speech", "lkk": "sanatorium"}


@dataclass(frozen=True)
class Written:
    """What `city_write` wrote, to print."""

    districts: int
    kindergartens: int
    groups: int
    children: int
    staff: list[str]
    password: str
    group_ids: dict[int, int]


def city_write(city: City, *, seed: int, password: str, genesis: bool = True) -> Written:
    """Write `city` to an empty database; every account's password is `password`.
    `genesis=False` leaves the journal's genesis to the caller (a benchmark writes it
    in a process of its own)."""
    if Kindergarten.objects.exists():
        raise ValueError("the database already holds a city: generate one into an empty one")
    rng = random.Random(seed)  # noqa: S311 - a synthetic city, reproducible by seed
    hashed = make_password(password)  # once: 120,000 hashes would take an hour
    with transaction.atomic():
        privilege_categories_ensure()
        kindergartens, groups = _places(city, rng)
        users, children = _families(city, rng, hashed)
        staff = _staff(kindergartens, hashed)
        _lists(city, kindergartens, groups, users, children)
    queue_records_refresh(children=None)  # the engine's one-row view of each child
    if genesis:
        genesis_ensure()
    return Written(
        districts=District.objects.count(),
        kindergartens=len(kindergartens),
        groups=len(groups),
        children=len(children),
        staff=staff,
        password=password,
        group_ids={gid: g.pk for gid, g in groups.items()},
    )


def _places(city: City, rng: random.Random) -> tuple[dict[int, Kindergarten], dict[int, Group]]:
    districts = District.objects.bulk_create(
        District(slug=d.slug, name=d.name, name_en=d.name_en) for d in DISTRICTS
    )
    specialisations = {
        slug: Specialisation.objects.create(slug=slug, name=name, name_en=en, referral=referral)
        for slug, name, en, referral in SPECIALISATIONS
    }
    kindergartens = {}
    for k in sorted({g.kindergarten for g in city.groups.values()}):
        demo, district = DISTRICTS[k % len(DISTRICTS)], districts[k % len(districts)]
        kindergartens[k] = Kindergarten(
            number=k,
            name=f"Заклад дошкільної освіти № {k}",
            district=district,
            address=f"{rng.choice(demo.streets)}, {rng.randint(1, 120)}",
            latitude=round(demo.centre[0] + rng.uniform(-1, 1) * demo.spread[0], 6),
            longitude=round(demo.centre[1] + rng.uniform(-1, 1) * demo.spread[1], 6),
            email=f"dnz{k}@osvita.kyiv.ua",
        )
    Kindergarten.objects.bulk_create(kindergartens.values(), batch_size=BATCH)
    groups = {}
    for gid, spec in city.groups.items():
        band = AGE_BANDS.index((spec.ages.from_months, spec.ages.to_months))
        groups[gid] = Group(
            kindergarten=kindergartens[spec.kindergarten],
            name=NAMES_OF_BANDS[band],  # one group a band in each kindergarten
            kind=GroupKind.SPECIAL if spec.referral else KINDS[band],
            age_from_months=spec.ages.from_months,
            age_to_months=spec.ages.to_months,
            capacity=15 if spec.ages.to_months <= 36 else 20,
            specialisation=specialisations[SPECIAL[spec.referral]] if spec.referral else None,
        )
    Group.objects.bulk_create(groups.values(), batch_size=BATCH)
    return kindergartens, groups


def _families(city: City, rng: random.Random, hashed: str) -> tuple[list[User], list[Child]]:
    users = User.objects.bulk_create(
        (
            User(
                email=f"family{a.id}@{DOMAIN}",
                password=hashed,
                phone=f"+38067{a.id:07d}",
                phone_verified=a.verified,
            )
            for a in city.applicants
        ),
        batch_size=BATCH,
    )
    EmailAddress.objects.bulk_create(
        (EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users),
        batch_size=BATCH,
    )
    children = Child.objects.bulk_create(
        (
            Child(
                last_name=rng.choice(SURNAMES),
                first_name=rng.choice(NAMES),
                born=a.born,
                certificate_key=f"UA:I-КВ:{a.id:06d}",
                certificate_display=f"I-КВ {a.id:06d}",
                application_number=a.number,
                registered_at=a.registered_at,
                lottery=a.lottery,
                created_at=a.registered_at,
                keep_waiting=a.keep_waiting,
                status=ChildStatus.ACTIVE if a.active else ChildStatus.DEACTIVATED,
                status_changed_at=None if a.active else a.registered_at,
            )
            for a in city.applicants
        ),
        batch_size=BATCH,
    )
    Guardianship.objects.bulk_create(
        (
            Guardianship(child=c, user=u, since=c.created_at)
            for c, u in zip(children, users, strict=True)
        ),
        batch_size=BATCH,
    )
    return users, children


def _lists(
    city: City,
    kindergartens: dict[int, Kindergarten],
    groups: dict[int, Group],
    users: list[User],
    children: list[Child],
) -> None:
    """Each child's choices, confirmed privilege, referrals, flag and place."""
    child = {a.id: c for a, c in zip(city.applicants, children, strict=True)}
    user = {a.id: u for a, u in zip(city.applicants, users, strict=True)}
    Choice.objects.bulk_create(
        (
            Choice(
                child=child[a.id], kindergarten=kindergartens[k], rank=r, added_at=a.registered_at
            )
            for a in city.applicants
            for r, k in enumerate(a.choices, start=1)
        ),
        batch_size=BATCH,
    )
    category = {t: PrivilegeCategory.objects.filter(tier=t).first() for t in (1, 2, 3)}
    # One blank page behind every generated claim: the officers' viewer can open it.
    document = private_storage().save("privileges/generated.pdf", ContentFile(demo_pdf()))
    # The district office of the child's first choice recorded its referral.
    officer = {
        role.district_id: role.user
        for role in Role.objects.filter(kind=RoleKind.OFFICER).select_related("user")
    }
    PrivilegeClaim.objects.bulk_create(
        (
            PrivilegeClaim(
                child=child[a.id],
                category=category[int(a.tier)],
                document=document,
                document_type="application/pdf",
                status=ClaimStatus.CONFIRMED,
                submitted_at=a.registered_at,
                submitted_by=user[a.id],
                decided_at=a.registered_at,
            )
            for a in city.applicants
            if int(a.tier) < 4
        ),
        batch_size=BATCH,
    )
    Referral.objects.bulk_create(
        (
            Referral(
                child=child[a.id],
                kind=kind,
                confirmed_at=a.registered_at,
                confirmed_by=officer[kindergartens[a.choices[0]].district_id],
            )
            for a in city.applicants
            for kind in sorted(a.referrals)
        ),
        batch_size=BATCH,
    )
    first = city.applicants[0].id
    DuplicateFlag.objects.bulk_create(
        (
            DuplicateFlag(
                child=child[a.id],
                similar_to=child[first],
                reason="generated",
                created_at=a.registered_at,
            )
            for a in city.applicants
            if a.flagged and a.id != first
        ),
        batch_size=BATCH,
    )
    # An enrolled child attends its kindergarten's first group (the engine reads only
    # which kindergarten holds it).
    first_group: dict[int, Group] = {}
    for gid, spec in city.groups.items():
        first_group.setdefault(spec.kindergarten, groups[gid])
    Enrollment.objects.bulk_create(
        (
            Enrollment(
                group=first_group[a.enrolled_in],
                child=child[a.id],
                started_on=dt.date(a.registered_at.year + 1, 9, 1),
            )
            for a in city.applicants
            if a.enrolled_in is not None
        ),
        batch_size=BATCH,
    )


def city_totp_secret(email: str) -> str:
    """A generated staff account's TOTP secret, derived from its e-mail (a generated
    city is for trying Sadok and load tests, never for people's data)."""
    return base64.b32encode(hashlib.sha256(email.encode()).digest()[:20]).decode()


def _staff(kindergartens: dict[int, Kindergarten], hashed: str) -> list[str]:
    """A head for each kindergarten, an officer for each district, an administrator;
    each with a second factor (`manage.py demo_totp EMAIL` prints its code)."""
    people = [
        (f"head{k}@{DOMAIN}", Role(kind=RoleKind.HEAD, kindergarten=g))
        for k, g in kindergartens.items()
    ]
    people += [
        (f"officer-{d.slug}@{DOMAIN}", Role(kind=RoleKind.OFFICER, district=d))
        for d in District.objects.order_by("slug")
    ]
    people.append((f"admin@{DOMAIN}", Role(kind=RoleKind.ADMIN)))
    users = User.objects.bulk_create(
        User(email=e, password=hashed, phone=f"+38044{n:07d}", phone_verified=True)
        for n, (e, _) in enumerate(people)
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users
    )
    for user, (_, role) in zip(users, people, strict=True):
        role.user = user
        TOTP.activate(user, city_totp_secret(user.email))
    Role.objects.bulk_create(role for _, role in people)
    return [e for e, _ in people]
