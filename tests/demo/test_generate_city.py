"""`manage.py generate_city`: the benchmarks' synthetic city written to the database
as the engine saw it, with staff, queue records and the journal's genesis."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import CommandError, call_command

from sadok.accounts.models import Role, RoleKind
from sadok.demo.synthetic import synthetic_city
from sadok.journal.log import log_append
from sadok.journal.models import Event, EventKind
from sadok.kindergartens.demo import DISTRICTS
from sadok.kindergartens.models import District, Group, Kindergarten
from sadok.queue.applicants import applicants_for
from sadok.queue.models import QueueRecord
from tests.journal.log_events import log_starts_now

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 27, 9, tzinfo=dt.UTC)
SIZE = ("--kindergartens", "12", "--children", "700", "--seed", "7")


def _fields(a, number=lambda k: k):
    """What the engine reads of a child, kindergartens by their public number."""
    return (
        a.number,
        a.born,
        a.registered_at,
        a.lottery,
        a.tier,
        tuple(map(number, a.choices)),
        a.referrals,
        a.active,
        a.verified,
        a.flagged,
        a.keep_waiting,
        None if a.enrolled_in is None else number(a.enrolled_in),
    )


@time_machine.travel(NOW, tick=False)
def test_the_city_in_the_database_is_the_city_the_engine_was_given():
    log_starts_now()
    out = io.StringIO()
    call_command("generate_city", *SIZE, stdout=out)
    assert "12 kindergartens, 60 groups, 700 children" in out.getvalue()
    assert set(District.objects.values_list("name", flat=True)) == {d.name for d in DISTRICTS}
    assert Kindergarten.objects.count() == 12
    bands = set(Group.objects.values_list("age_from_months", "age_to_months"))
    assert all(low % 12 == 0 and high % 12 == 0 for low, high in bands)
    city = synthetic_city(kindergartens=12, applicants=700, places=0, seed=7, at=NOW.date())
    read = applicants_for(kindergartens=None, at=NOW.date())
    numbers = dict(Kindergarten.objects.values_list("pk", "number"))
    assert sorted(_fields(a, numbers.__getitem__) for a in read) == sorted(
        map(_fields, city.applicants)
    )
    assert any(a.enrolled_in for a in read)
    assert any(a.tier < 4 for a in read)
    assert any(a.referrals for a in read)
    roles = Role.objects.values_list("kind", flat=True)
    assert list(roles).count(RoleKind.HEAD) == 12
    assert list(roles).count(RoleKind.OFFICER) == 10
    assert list(roles).count(RoleKind.ADMIN) == 1
    # The journal, and so the public log, begins with the city.
    assert QueueRecord.objects.count() == 700
    assert Event.objects.filter(kind=EventKind.GENESIS).count() == 700 + 60
    while log_append():
        pass
    verdict = io.StringIO()
    call_command("verify_log", stdout=verdict)
    assert "the public log holds: 760 entries" in verdict.getvalue()


@time_machine.travel(NOW, tick=False)
def test_a_city_is_generated_into_an_empty_database_only():
    call_command("generate_city", *SIZE, stdout=io.StringIO())
    with pytest.raises(CommandError, match="already holds a city"):
        call_command("generate_city", *SIZE, stdout=io.StringIO())
    with pytest.raises(CommandError, match="at least 1"):
        call_command("generate_city", "--children", "0")


@time_machine.travel(NOW, tick=False)
def test_a_generated_head_signs_in_with_the_printed_second_factor():
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    call_command("generate_city", *SIZE, stdout=io.StringIO())
    head = Role.objects.filter(kind=RoleKind.HEAD).select_related("user").first().user
    assert head.check_password("sadok-city-2026")
    code = io.StringIO()
    with time_machine.travel(dt.datetime.now(tz=dt.UTC), tick=False):
        call_command("demo_totp", head.email, stdout=code)
        assert TOTP(Authenticator.objects.get(user=head)).validate_code(code.getvalue().strip())
