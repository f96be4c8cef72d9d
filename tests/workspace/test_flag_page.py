"""The district office's flag page: two records side by side, three decisions, a
sentence for each outcome; a closed record reads as closed."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from sadok.applications.models import Child, ChildStatus, DuplicateFlag, FlagStatus
from sadok.offers import district
from tests.factories import KindergartenFactory, child_of
from tests.factories_accounts import officer_of, verified_parent

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)
BORN = dt.date(2023, 4, 12)


@pytest.fixture
def pair():
    with time_machine.travel(NOW, tick=False):
        a = KindergartenFactory()
        b = KindergartenFactory(district=a.district)
        first = child_of(
            verified_parent("p1@example.com", "+380501112301"),
            born=BORN,
            certificate="I-КВ 600001",
            last_name="Шевченко",
            first_name="Тарас",
            registered_at=NOW - dt.timedelta(days=200),
            kindergartens=[a],
        )
        second = child_of(
            verified_parent("p2@example.com", "+380501112302"),
            born=BORN,
            certificate="I-КВ 600002",
            last_name="Shevchenko",
            first_name="Taras",
            registered_at=NOW - dt.timedelta(days=20),
            kindergartens=[b, a],
        )
        flag = DuplicateFlag.objects.get(child=second, similar_to=first)
        return a, first, second, flag, officer_of(a.district)


def _url(a, flag):
    return reverse("workspace:flag", args=[a.district.slug, flag.pk])


@time_machine.travel(NOW, tick=False)
def test_the_page_shows_both_records_and_three_decisions(pair, client):
    a, first, second, flag, officer = pair
    client.force_login(officer)
    page = client.get(_url(a, flag)).content.decode()
    for text in (first.application_number, second.application_number, "Shevchenko Taras"):
        assert text in page
    assert "Зняти позначку" in page
    assert "єднати записи</button>" in page
    assert "Зняти запис з обліку" in page


@time_machine.travel(NOW, tick=False)
def test_merging_leads_to_the_record_kept_and_the_other_reads_closed(pair, client):
    a, first, second, flag, officer = pair
    client.force_login(officer)
    response = client.post(
        _url(a, flag),
        {"decision": "merge", "merge-reason": "same_child", "merge-note": "Одне свідоцтво."},
        follow=True,
    )
    page = response.content.decode()
    assert "єднано: лишився запис" in page
    assert response.redirect_chain[-1][0] == reverse(
        "workspace:child", args=[a.district.slug, first.pk]
    )
    assert Child.objects.get(pk=second.pk).status == ChildStatus.CLOSED
    closed = client.get(reverse("workspace:child", args=[a.district.slug, second.pk]))
    assert "знято з обліку" in closed.content.decode()
    assert first.application_number in closed.content.decode()
    # Decided: the page says by whom, and a second decision is refused with a sentence.
    again = client.post(
        _url(a, flag),
        {"decision": "fake", "fake-reason": "not_a_real_child", "fake-note": "Ні."},
    )
    assert "Цю позначку вже перевірено" in again.content.decode()


@time_machine.travel(NOW, tick=False)
def test_a_note_is_required(pair, client):
    a, _first, _second, flag, officer = pair
    client.force_login(officer)
    page = client.post(
        _url(a, flag), {"decision": "fake", "fake-reason": "not_a_real_child", "fake-note": ""}
    ).content.decode()
    assert "field-error" in page
    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN


@time_machine.travel(NOW, tick=False)
def test_a_hand_raised_flag_offers_no_merge(pair, client):
    a, first, _second, _flag, officer = pair
    raised = district.flag_raise(child=first, user=officer, reason="suspected_fake", note="Див.")
    client.force_login(officer)
    page = client.get(_url(a, raised)).content.decode()
    assert "єднати записи</button>" not in page
    assert "Зняти запис з обліку" in page
