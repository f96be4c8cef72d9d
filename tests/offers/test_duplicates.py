"""The district office resolves a duplicate flag (SPEC.md "Duplicate and fake control"):
a merge keeps the earliest date and loses nothing the family had; a fake is closed
for good and its offered place goes on; two officers at once decide once."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from sadok.applications.models import (
    Child,
    ChildStatus,
    DuplicateFlag,
    FlagStatus,
    PrivilegeClaim,
)
from sadok.journal.models import Event, EventKind
from sadok.offers import district, duplicates
from sadok.offers.genesis import genesis_ensure
from sadok.offers.lifecycle import documents_confirm, offer_accept
from sadok.offers.models import Offer, OfferStatus, PlaceStatus
from sadok.offers.replay import journal_replay
from sadok.offers.services import places_declare
from tests.factories import GroupFactory, KindergartenFactory, child_of, claim_of
from tests.factories_accounts import head_of, officer_of, verified_parent
from tests.offers.test_races import _together

pytestmark = pytest.mark.usefixtures("privilege_categories")

NOW = dt.datetime(2026, 11, 27, 10, tzinfo=dt.UTC)
BORN = dt.date(2024, 6, 1)  # 29 months: the 24-36 month groups


@given(
    kept=st.lists(st.integers(1, 30), unique=True, max_size=8),
    other=st.lists(st.integers(1, 30), unique=True, max_size=8),
)
def test_a_merged_list_keeps_the_kept_order_then_appends_the_others(kept, other):
    merged = duplicates.merged_choices(kept, other)
    assert merged[: len(kept)] == kept
    assert sorted(merged) == sorted(set(kept) | set(other))
    appended = merged[len(kept) :]
    assert appended == [k for k in other if k not in kept]


@pytest.fixture
def district_of():
    """Three kindergartens of one district, each with a 24-36 month group."""
    with time_machine.travel(NOW, tick=False):
        a = KindergartenFactory()
        b = KindergartenFactory(district=a.district)
        c = KindergartenFactory(district=a.district)
        groups = {
            k: GroupFactory(kindergarten=k, age_from_months=24, age_to_months=36) for k in (a, b, c)
        }
        genesis_ensure()
        return a, b, c, groups, officer_of(a.district)


def _child(n, last, first, kindergartens, days_ago):
    return child_of(
        verified_parent(f"p{n}@example.com", f"+38050111230{n}"),
        born=BORN,
        certificate=f"I-КВ {500000 + n}",
        last_name=last,
        first_name=first,
        registered_at=NOW - dt.timedelta(days=days_ago),
        kindergartens=kindergartens,
    )


def _events_of(*children):
    return Event.objects.filter(child_id__in=[c.pk for c in children]).count()


def _merge(flag, officer):
    return duplicates.flag_merge(
        flag=flag, user=officer, reason="same_child", note="Та сама дитина, одне свідоцтво."
    )


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_a_merge_keeps_the_earliest_date_and_loses_no_choice_claim_or_event(district_of):
    a, b, c, _groups, officer = district_of
    # The record kept was registered earlier though it was made later (an old date).
    newer = _child(1, "Шевченко", "Тарас", [c, a], days_ago=300)
    older = _child(2, "Shevchenko", "Taras", [a, b], days_ago=100)
    flag = DuplicateFlag.objects.get(child=older, similar_to=newer)
    claim_of(newer, tier=3)
    claim_of(older, tier=2, confirmed=False)
    claims = PrivilegeClaim.objects.count()
    events = _events_of(newer, older)

    kept = _merge(flag, officer)

    assert kept.pk == newer.pk
    kept.refresh_from_db()
    closed = Child.objects.get(pk=older.pk)
    assert kept.registered_at == NOW - dt.timedelta(days=300)
    assert [ch.kindergarten for ch in kept.choices.order_by("rank")] == [c, a, b]
    assert PrivilegeClaim.objects.filter(child=kept).count() == claims == 2
    assert set(kept.guardians.values_list("email", flat=True)) == {
        "p1@example.com",
        "p2@example.com",
    }
    assert closed.status == ChildStatus.CLOSED
    assert closed.merged_into_id == kept.pk
    assert closed.guardians.count() == 0
    assert _events_of(newer, older) > events
    merged = Event.objects.filter(kind=EventKind.RECORDS_MERGED)
    assert {(e.child_id, e.reason) for e in merged} == {
        (kept.pk, "same_child"),
        (closed.pk, "same_child"),
    }
    assert Event.objects.filter(kind=EventKind.LEFT_QUEUE, child_id=closed.pk).exists()
    flag.refresh_from_db()
    assert flag.status == FlagStatus.CONFIRMED
    assert flag.resolved_by == officer
    assert journal_replay().mismatches == []


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_a_merge_releases_the_certificate_held_for_the_closed_record(district_of):
    a, _b, _c, _groups, officer = district_of
    first = _child(1, "Бондар", "Ян", [a], days_ago=50)
    # The same certificate typed again later, with the old system's earlier date: held.
    second = _child(2, "Bondar", "Ian", [a], days_ago=400)
    Child.objects.filter(pk=second.pk).update(
        certificate_key=first.certificate_key, certificate_held=True
    )
    flag = DuplicateFlag.objects.get(child=second, similar_to=first)
    kept = _merge(flag, officer)
    assert kept.pk == second.pk
    kept.refresh_from_db()
    first.refresh_from_db()
    assert first.status == ChildStatus.CLOSED
    assert not kept.certificate_held
    assert kept.registered_at == NOW - dt.timedelta(days=400)


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_with_an_open_offer_on_each_the_higher_ranked_stays(district_of):
    a, _b, c, groups, officer = district_of
    first = _child(1, "Мельник", "Софія", [a], days_ago=300)
    second = _child(2, "Ткачук", "Богдан", [c, a], days_ago=100)
    places_declare(group=groups[a], count=1, user=None)
    places_declare(group=groups[c], count=1, user=None)
    assert Offer.objects.get(child=first).place.group == groups[a]
    assert Offer.objects.get(child=second).place.group == groups[c]
    # A check by hand found the two to be one child (the names differ by a mistake).
    flag = DuplicateFlag.objects.create(
        child=second, similar_to=first, reason="та сама дитина", created_at=NOW
    )
    _merge(flag, officer)
    live = Offer.objects.filter(status=OfferStatus.OFFERED)
    assert [(o.child_id, o.place.group_id) for o in live] == [(first.pk, groups[a].pk)]
    lost = Offer.objects.get(child=second)
    assert lost.status == OfferStatus.WITHDRAWN
    assert lost.closed_reason
    # Nobody else waits for the place at C: it is open again.
    assert lost.place.status == PlaceStatus.OPEN
    assert journal_replay().mismatches == []


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_the_closed_records_open_offer_goes_to_the_record_kept(district_of):
    a, _b, c, groups, officer = district_of
    first = _child(1, "Мельник", "Софія", [a], days_ago=300)
    second = _child(2, "Ткачук", "Богдан", [c], days_ago=100)
    places_declare(group=groups[c], count=1, user=None)
    offer = Offer.objects.get(child=second)
    flag = DuplicateFlag.objects.create(
        child=second, similar_to=first, reason="та сама дитина", created_at=NOW
    )
    _merge(flag, officer)
    offer.refresh_from_db()
    assert offer.child_id == first.pk
    assert offer.status == OfferStatus.OFFERED
    assert journal_replay().mismatches == []


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_a_hand_raised_flag_has_nothing_to_merge(district_of):
    a, *_rest, officer = district_of
    child = _child(1, "Мельник", "Софія", [a], days_ago=3)
    flag = district.flag_raise(child=child, user=officer, reason="suspected_fake", note="Дивно.")
    with pytest.raises(ValidationError) as refused:
        _merge(flag, officer)
    assert refused.value.code == "no_pair"


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_a_fake_is_closed_and_its_offered_place_goes_to_the_next_child(district_of):
    a, _b, _c, groups, officer = district_of
    fake = _child(1, "Мельник", "Софія", [a], days_ago=300)
    real = _child(2, "Ткачук", "Богдан", [a], days_ago=100)
    places_declare(group=groups[a], count=1, user=None)
    offer = Offer.objects.get(child=fake)
    flag = district.flag_raise(
        child=fake, user=officer, reason="suspected_fake", note="Перевірити."
    )
    duplicates.flag_fake(
        flag=flag, user=officer, reason="not_a_real_child", note="Свідоцтво не існує."
    )
    fake.refresh_from_db()
    offer.refresh_from_db()
    flag.refresh_from_db()
    assert fake.status == ChildStatus.CLOSED
    assert fake.status_reason
    assert flag.status == FlagStatus.FAKE
    assert offer.status == OfferStatus.WITHDRAWN
    assert Offer.objects.get(child=real, status=OfferStatus.OFFERED).place == offer.place
    left = Event.objects.get(kind=EventKind.LEFT_QUEUE, child_id=fake.pk)
    assert left.reason == "not_a_real_child"
    assert journal_replay().mismatches == []


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_a_fake_enrolled_is_refused_until_the_head_ends_the_enrollment(district_of):
    a, _b, _c, groups, officer = district_of
    fake = _child(1, "Мельник", "Софія", [a], days_ago=300)
    places_declare(group=groups[a], count=1, user=None)
    offer = offer_accept(offer=Offer.objects.get(child=fake), user=fake.guardians.get())
    documents_confirm(offer=offer, user=head_of(a))
    flag = district.flag_raise(
        child=fake, user=officer, reason="suspected_fake", note="Перевірити."
    )
    with pytest.raises(ValidationError) as refused:
        duplicates.flag_fake(flag=flag, user=officer, reason="not_a_real_child", note="Немає.")
    assert refused.value.code == "holds_place"
    fake.refresh_from_db()
    assert fake.status == ChildStatus.ACTIVE


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_a_decided_flag_is_not_decided_again(district_of):
    a, *_rest, officer = district_of
    first = _child(1, "Шевченко", "Тарас", [a], days_ago=300)
    _child(2, "Shevchenko", "Taras", [a], days_ago=100)
    flag = DuplicateFlag.objects.get(similar_to=first)
    _merge(flag, officer)
    with pytest.raises(ValidationError) as refused:
        duplicates.flag_fake(flag=flag, user=officer, reason="not_a_real_child", note="Ні.")
    assert refused.value.code == "decided"


@pytest.mark.django_db(transaction=True)
def test_two_officers_merging_and_clearing_at_once_decide_once(district_of):
    a, *_rest, first_officer = district_of
    with time_machine.travel(NOW, tick=False):
        second_officer = officer_of(a.district, "two@example.com")
        first = _child(1, "Шевченко", "Тарас", [a], days_ago=300)
        second = _child(2, "Shevchenko", "Taras", [a], days_ago=100)
        flag = DuplicateFlag.objects.get(child=second, similar_to=first)
    outcomes = _together(
        lambda: _merge(flag, first_officer),
        lambda: district.flag_clear(
            flag=flag, user=second_officer, reason="checked_not_duplicate", note="Двійнята."
        ),
        at=NOW,
    )
    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"]
    refused = next(value for kind, value in outcomes if kind == "refused")
    assert refused.code == "decided"
    flag.refresh_from_db()
    merged = Event.objects.filter(kind=EventKind.RECORDS_MERGED).exists()
    assert flag.status == (FlagStatus.CONFIRMED if merged else FlagStatus.CLEARED)
    assert Child.objects.get(pk=second.pk).status == (
        ChildStatus.CLOSED if merged else ChildStatus.ACTIVE
    )


@pytest.mark.django_db(transaction=True)
def test_two_officers_merging_at_once_merge_once(district_of):
    a, *_rest, first_officer = district_of
    with time_machine.travel(NOW, tick=False):
        second_officer = officer_of(a.district, "two@example.com")
        first = _child(1, "Шевченко", "Тарас", [a], days_ago=300)
        _child(2, "Shevchenko", "Taras", [a], days_ago=100)
        flag = DuplicateFlag.objects.get(similar_to=first)
    outcomes = _together(lambda: _merge(flag, first_officer), lambda: _merge(flag, second_officer))
    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"]
    assert Event.objects.filter(kind=EventKind.RECORDS_MERGED).count() == 2
