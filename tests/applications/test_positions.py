import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from sadok.allocation.model import Tier
from sadok.allocation.queue import position
from sadok.applications.models import ClaimStatus, PrivilegeCategory, PrivilegeClaim
from sadok.applications.selectors import applicants_for, group_spec, standings_of
from tests.factories import GroupFactory, child_of
from tests.factories_accounts import person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("privilege_categories")]
TODAY = dt.datetime(2026, 11, 27, 10, tzinfo=dt.UTC)


def _verified(email):
    user = person(email)
    user.phone, user.phone_verified = f"+38050{abs(hash(email)) % 10**7:07d}", True
    user.save()
    return user


def _confirm(child, code, valid_until=None):
    PrivilegeClaim.objects.create(
        child=child,
        category=PrivilegeCategory.objects.get(code=code),
        document="x.pdf",
        document_type="application/pdf",
        status=ClaimStatus.CONFIRMED,
        submitted_at=TODAY,
        submitted_by=child.guardians.get(),
        valid_until=valid_until,
    )


@time_machine.travel(TODAY, tick=False)
def test_the_cabinet_shows_the_engines_position_with_privileges_ahead(client):
    group = GroupFactory(age_from_months=24, age_to_months=36)
    kindergarten = group.kindergarten
    born = dt.date(2024, 6, 1)
    child_of(
        _verified("a@example.com"),
        born=born,
        certificate="I-КВ 000001",
        registered_at=TODAY - dt.timedelta(days=300),
        kindergartens=[kindergarten],
        last_name="Бондар",
    )
    idp = child_of(
        _verified("b@example.com"),
        born=born,
        certificate="I-КВ 000002",
        registered_at=TODAY - dt.timedelta(days=10),
        kindergartens=[kindergarten],
        last_name="Коваль",
    )
    _confirm(idp, "idp")
    chornobyl = child_of(
        _verified("c@example.com"),
        born=born,
        certificate="I-КВ 000003",
        registered_at=TODAY - dt.timedelta(days=5),
        kindergartens=[kindergarten],
        last_name="Мельник",
    )
    _confirm(chornobyl, "chornobyl-1")
    expired = child_of(
        _verified("d@example.com"),
        born=born,
        certificate="I-КВ 000004",
        registered_at=TODAY - dt.timedelta(days=1),
        kindergartens=[kindergarten],
        last_name="Ткач",
    )
    _confirm(expired, "military", valid_until=dt.date(2026, 1, 1))
    me = child_of(
        _verified("me@example.com"),
        born=born,
        certificate="I-КВ 000005",
        registered_at=TODAY - dt.timedelta(days=100),
        kindergartens=[kindergarten],
        last_name="Шевчук",
    )
    unverified = child_of(
        person("u@example.com"),
        born=born,
        certificate="I-КВ 000006",
        registered_at=TODAY - dt.timedelta(days=400),
        kindergartens=[kindergarten],
        last_name="Гнатюк",
    )

    applicants = applicants_for(kindergartens=[kindergarten.pk], at=TODAY.date())
    engine = position(
        applicants=applicants, group=group_spec(group), at=TODAY.date(), applicant_id=me.pk
    )
    # Out of turn, then guaranteed placement, then by date: the early child, me, the
    # child whose privilege expired; the child with unverified contacts is not counted.
    assert engine.place == 4
    assert engine.size == 5
    assert engine.ahead_by_tier[Tier.OUT_OF_TURN] == 1
    assert engine.ahead_by_tier[Tier.GUARANTEED] == 1
    assert standings_of(child=me, today=TODAY.date())[0].position_now == engine

    client.force_login(me.guardians.get())
    page = client.get(reverse("cabinet:child", args=[me.pk])).content.decode()
    shown = re.search(r"місце в черзі <strong>(\d+)</strong> з (\d+)", page)
    assert (int(shown.group(1)), int(shown.group(2))) == (engine.place, engine.size)
    assert unverified.pk not in [a.id for a in applicants if a.verified]


@time_machine.travel(TODAY, tick=False)
def test_a_child_too_young_now_sees_why_and_its_september_group(client):
    group = GroupFactory(age_from_months=12, age_to_months=24)
    me = child_of(
        _verified("me@example.com"), born=dt.date(2026, 1, 10), kindergartens=[group.kindergarten]
    )
    standing = standings_of(child=me, today=TODAY.date())[0]
    assert standing.position_now is None
    assert standing.reason_now == "not_eligible_age"
    assert standing.group_september == group
    client.force_login(me.guardians.get())
    page = client.get(reverse("cabinet:child", args=[me.pk])).content.decode()
    assert "немає групи для віку дитини" in page
    assert "На 01.09.2027" in page
