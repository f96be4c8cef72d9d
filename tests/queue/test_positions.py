import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from sadok.allocation.model import Tier
from sadok.allocation.queue import position
from sadok.queue.applicants import applicants_for
from sadok.queue.selectors import group_spec, standings_of
from tests.factories import GroupFactory, child_of, claim_of
from tests.factories_accounts import person, verified_parent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("privilege_categories")]
TODAY = dt.datetime(2026, 11, 27, 10, tzinfo=dt.UTC)


def _verified(email):
    return verified_parent(email, f"+38050{sum(map(ord, email)):07d}")


def _waiting(n, last_name, days_ago, *, kindergarten, parent=None):
    """A child born 1 June 2024, registered `days_ago` days before today."""
    return child_of(
        parent or verified_parent(f"parent{n}@example.com", f"+38050{n:07d}"),
        born=dt.date(2024, 6, 1),
        certificate=f"I-КВ {n:06d}",
        registered_at=TODAY - dt.timedelta(days=days_ago),
        kindergartens=[kindergarten],
        last_name=last_name,
    )


def _confirm(child, code, valid_until=None):
    claim_of(child, code=code, valid_until=valid_until, submitted_at=TODAY)


@time_machine.travel(TODAY, tick=False)
def test_the_cabinet_shows_the_engines_position_with_privileges_ahead(client):
    group = GroupFactory(age_from_months=24, age_to_months=36)
    kindergarten = group.kindergarten
    _waiting(1, "Бондар", 300, kindergarten=kindergarten)
    idp = _waiting(2, "Коваль", 10, kindergarten=kindergarten)
    _confirm(idp, "idp")
    chornobyl = _waiting(3, "Мельник", 5, kindergarten=kindergarten)
    _confirm(chornobyl, "chornobyl-1")
    expired = _waiting(4, "Ткач", 1, kindergarten=kindergarten)
    _confirm(expired, "military", valid_until=dt.date(2026, 1, 1))
    me = _waiting(5, "Шевчук", 100, kindergarten=kindergarten)
    unverified = _waiting(
        6, "Гнатюк", 400, kindergarten=kindergarten, parent=person("u@example.com")
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
