import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count

from sadok.accounts.models import RoleKind, User
from sadok.applications.demo import FAMILY_DOMAIN
from sadok.applications.models import Child, Choice
from sadok.kindergartens.demo import DISTRICTS
from sadok.kindergartens.models import District, Group, Kindergarten
from sadok.kindergartens.selectors import kindergartens_with_places

pytestmark = pytest.mark.django_db


def _snapshot():
    kindergartens = Kindergarten.objects.order_by("number").values_list(
        "number", "name", "address", "latitude", "longitude"
    )
    # The demo families' children; a parent's own child gets a random application
    # number and lottery, as in real life (and its number may start with D too).
    children = (
        Child.objects.filter(guardianships__user__email__endswith=FAMILY_DOMAIN)
        .order_by("application_number")
        .values_list("application_number", "born", "registered_at", "lottery")
    )
    choices = (
        Choice.objects.filter(child__guardianships__user__email__endswith=FAMILY_DOMAIN)
        .order_by("child__application_number", "rank")
        .values_list("child__application_number", "kindergarten__number", "rank")
    )
    return list(kindergartens), list(children), list(choices)


@time_machine.travel(dt.datetime(2026, 11, 27, 9, tzinfo=dt.UTC), tick=False)
def test_the_demo_city_is_kyiv_sized_realistic_and_deterministic():
    savepoint = transaction.savepoint()
    call_command("load_demo_city", verbosity=0)
    assert District.objects.count() == 10
    assert Kindergarten.objects.count() >= 60
    groups = Kindergarten.objects.annotate(n=Count("groups")).values_list("n", flat=True)
    assert min(groups) >= 3
    assert max(groups) <= 8
    for demo in DISTRICTS:
        for k in Kindergarten.objects.filter(district__slug=demo.slug):
            assert abs(k.latitude - demo.centre[0]) <= demo.spread[0]
            assert abs(k.longitude - demo.centre[1]) <= demo.spread[1]
    assert all(g.capacity <= 20 for g in Group.objects.all())
    assert any(k.vacant > 0 for k in kindergartens_with_places())
    first = _snapshot()
    assert Child.objects.filter(registered_at__isnull=False).count() > 400
    assert Choice.objects.count() > Child.objects.count()
    roles = set(User.objects.values_list("roles__kind", flat=True))
    assert roles == {None, RoleKind.HEAD, RoleKind.OFFICER, RoleKind.ADMIN}

    call_command("load_demo_city", verbosity=0)  # a second run changes nothing
    assert _snapshot() == first

    transaction.savepoint_rollback(savepoint)
    assert not Kindergarten.objects.exists()
    call_command("load_demo_city", verbosity=0)
    again = _snapshot()
    for part, (was, now) in enumerate(zip(first, again, strict=True)):
        differ = [(a, b) for a, b in zip(was, now, strict=False) if a != b][:3]
        assert was == now, f"part {part}: {len(was)} vs {len(now)} rows; first differences {differ}"


def test_the_demo_logins_are_printed_with_their_password(capsys):
    call_command("load_demo_city")
    out = capsys.readouterr().out
    assert "password for all: sadok-demo-2026" in out
    for login in ("parent1", "parent2", "head", "officer", "admin"):
        assert f"{login}@demo.sadok.kyiv.ua" in out


def test_demo_totp_prints_a_code_that_allauth_accepts():
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    call_command("load_demo_city", verbosity=0)
    out = io.StringIO()
    call_command("demo_totp", "head@demo.sadok.kyiv.ua", stdout=out)
    authenticator = Authenticator.objects.get(user__email="head@demo.sadok.kyiv.ua")
    assert TOTP(authenticator).validate_code(out.getvalue().strip())


@time_machine.travel(dt.datetime(2026, 11, 27, 9, tzinfo=dt.UTC), tick=False)
def test_the_demo_heads_group_lists_name_every_child_in_its_age_band():
    from sadok.allocation.ages import age_in_months
    from sadok.kindergartens.models import Enrollment

    call_command("load_demo_city", verbosity=0)
    head = User.objects.get(email="head@demo.sadok.kyiv.ua")
    kindergarten = head.roles.get(kind=RoleKind.HEAD).kindergarten
    listed = Enrollment.objects.filter(group__kindergarten=kindergarten, ended_on__isnull=True)
    assert listed.count() > 20
    for row in listed.select_related("child", "group"):
        assert row.child is not None, "a child of the head's list without a name"
        assert row.child.patronymic.endswith(("вич", "вна"))
        age = age_in_months(born=row.child.born, at=dt.date(2026, 11, 27))
        assert row.group.age_from_months <= age < row.group.age_to_months
    # Other kindergartens' lists stay counts: names only where a demo head looks.
    assert Enrollment.objects.filter(child__isnull=True).exists()
