"""The Kyiv-scale city of the benchmarks, written to a scratch PostgreSQL database
(`sadok_bench`, dropped and created anew each run): `allocation.py` measures the
wave, "+1" and a child's positions on it."""

from __future__ import annotations

import datetime as dt

from allocation_core import City

BENCH_DB = "sadok_bench"


def fresh_database() -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        c.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
        c.execute(f"CREATE DATABASE {BENCH_DB}")


def load(city: City) -> dict[int, int]:
    """Write the synthetic city; return engine group id -> database group id."""
    from allauth.account.models import EmailAddress

    from sadok.accounts.models import User
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
    )
    from sadok.kindergartens.models import District, Enrollment, Group, Kindergarten

    batch = 10_000
    districts = District.objects.bulk_create(
        District(slug=f"d{i}", name=f"Район {i}", name_en=f"District {i}") for i in range(10)
    )
    kindergarten_ids = sorted({g.kindergarten for g in city.groups.values()})
    kindergartens = {
        k: Kindergarten(
            number=k,
            name=f"Садочок {k}",
            district=districts[k % 10],
            address=f"вул. Тестова, {k}",
            latitude=50.45,
            longitude=30.52,
        )
        for k in kindergarten_ids
    }
    Kindergarten.objects.bulk_create(kindergartens.values(), batch_size=batch)
    groups = {
        gid: Group(
            kindergarten=kindergartens[spec.kindergarten],
            name=f"група {gid}",
            kind="younger",
            age_from_months=spec.ages.from_months,
            age_to_months=spec.ages.to_months,
            capacity=20,
        )
        for gid, spec in city.groups.items()
    }
    # Referral groups: a specialisation per referral kind.
    from sadok.kindergartens.models import Specialisation

    specialisations = {
        kind: Specialisation.objects.create(slug=kind, name=kind, name_en=kind, referral=kind)
        for kind in ("pmpk", "lkk")
    }
    for gid, spec in city.groups.items():
        if spec.referral:
            groups[gid].specialisation = specialisations[spec.referral]
    Group.objects.bulk_create(groups.values(), batch_size=batch)
    users = User.objects.bulk_create(
        (
            User(
                email=f"p{a.id}@bench.sadok",
                password="!",  # noqa: S106  (an unusable password)
                phone=f"+380{a.id:09d}",
                phone_verified=a.verified,
            )
            for a in city.applicants
        ),
        batch_size=batch,
    )
    EmailAddress.objects.bulk_create(
        (EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users),
        batch_size=batch,
    )
    children = Child.objects.bulk_create(
        (
            Child(
                last_name="Тест",
                first_name=f"Дитина{a.id}",
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
        batch_size=batch,
    )
    by_applicant = {a.id: c for a, c in zip(city.applicants, children, strict=True)}
    Guardianship.objects.bulk_create(
        (
            Guardianship(child=c, user=u, since=c.created_at)
            for c, u in zip(children, users, strict=True)
        ),
        batch_size=batch,
    )
    Choice.objects.bulk_create(
        (
            Choice(
                child=by_applicant[a.id],
                kindergarten=kindergartens[k],
                rank=r,
                added_at=a.registered_at,
            )
            for a in city.applicants
            for r, k in enumerate(a.choices, start=1)
        ),
        batch_size=batch,
    )
    from sadok.applications.privileges import privilege_categories_ensure

    privilege_categories_ensure()
    category = {t: PrivilegeCategory.objects.filter(tier=t).first() for t in (1, 2, 3)}
    PrivilegeClaim.objects.bulk_create(
        (
            PrivilegeClaim(
                child=by_applicant[a.id],
                category=category[int(a.tier)],
                document="privileges/x.pdf",
                document_type="application/pdf",
                status=ClaimStatus.CONFIRMED,
                submitted_at=a.registered_at,
                submitted_by=users[a.id - 1],
            )
            for a in city.applicants
            if int(a.tier) < 4
        ),
        batch_size=batch,
    )
    Referral.objects.bulk_create(
        (
            Referral(
                child=by_applicant[a.id],
                kind=kind,
                confirmed_at=a.registered_at,
                confirmed_by=users[0],
            )
            for a in city.applicants
            for kind in sorted(a.referrals)
        ),
        batch_size=batch,
    )
    DuplicateFlag.objects.bulk_create(
        (
            DuplicateFlag(
                child=by_applicant[a.id],
                similar_to=by_applicant[1],
                reason="bench",
                created_at=a.registered_at,
            )
            for a in city.applicants
            if a.flagged and a.id != 1
        ),
        batch_size=batch,
    )
    group_of_kindergarten: dict[int, Group] = {}
    for gid, spec in city.groups.items():
        group_of_kindergarten.setdefault(spec.kindergarten, groups[gid])
    Enrollment.objects.bulk_create(
        (
            Enrollment(
                group=group_of_kindergarten[a.enrolled_in],
                child=by_applicant[a.id],
                started_on=dt.date(2025, 9, 1),
            )
            for a in city.applicants
            if a.enrolled_in is not None
        ),
        batch_size=batch,
    )
    from sadok.queue.records import queue_records_refresh

    queue_records_refresh(children=None)  # the engine's one-row view of each child
    return {gid: g.pk for gid, g in groups.items()}
