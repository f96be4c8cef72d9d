"""The public queue of a group: SPEC.md "Privileges" and "The queue"."""

import datetime as dt
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sadok.allocation.ages import AgeRange
from sadok.allocation.model import GroupSpec, Reason, Tier
from sadok.allocation.queue import (
    eligibility,
    group_queue,
    in_priority_order,
    position,
    priority,
    priority_key,
)
from tests.allocation.strategies import AT, REGISTERED, applicants_st, child, groups_st

THREE_TO_FOUR = GroupSpec(id=10, kindergarten=1, ages=AgeRange(36, 48))
JAN_1, JAN_2, JAN_3 = REGISTERED


def ids(queue):
    return [a.id for a in queue]


def test_a_chornobyl_family_registered_later_is_still_ahead_of_everyone_without_a_privilege():
    early = child(1, registered=JAN_1)
    chornobyl = child(2, registered=JAN_3, tier=Tier.OUT_OF_TURN)
    assert ids(group_queue(applicants=[early, chornobyl], group=THREE_TO_FOUR, at=AT)) == [2, 1]


def test_tiers_come_first_then_registration_time_then_lottery_then_application_number():
    children = [
        child(1, registered=JAN_1),
        child(2, registered=JAN_3, tier=Tier.GUARANTEED),  # IDP
        child(3, registered=JAN_3, tier=Tier.FIRST_PRIORITY),  # military family
        child(4, registered=JAN_2, tier=Tier.FIRST_PRIORITY),
        child(5, registered=JAN_3, tier=Tier.OUT_OF_TURN),
        child(6, registered=JAN_1, lottery=7),
        child(7, registered=JAN_1, lottery=3),
        child(8, registered=JAN_1, lottery=3, number="N00003"),
        # The public application number decides, not the internal id.
        child(9, registered=JAN_1, lottery=3, number="A00009"),
    ]
    random.Random(4).shuffle(children)
    queue = group_queue(applicants=children, group=THREE_TO_FOUR, at=AT)
    assert ids(queue) == [5, 4, 3, 2, 1, 9, 8, 7, 6]
    assert priority(queue[0]) == (Tier.OUT_OF_TURN, JAN_3, 0, "N00005")


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({}, Reason.ELIGIBLE),
        ({"active": False, "verified": False, "flagged": True}, Reason.NOT_ELIGIBLE_INACTIVE),
        ({"verified": False, "flagged": True}, Reason.NOT_ELIGIBLE_UNVERIFIED),
        ({"flagged": True, "choices": (2,)}, Reason.NOT_ELIGIBLE_FLAGGED),
        ({"choices": (2,), "enrolled_in": 2}, Reason.NOT_ELIGIBLE_NOT_APPLIED),
        ({"enrolled_in": 3, "born": dt.date(2025, 1, 1)}, Reason.NOT_ELIGIBLE_ENROLLED),
        ({"born": dt.date(2025, 1, 1)}, Reason.NOT_ELIGIBLE_AGE),
        ({"born": dt.date(2021, 1, 1)}, Reason.NOT_ELIGIBLE_AGE),
    ],
)
def test_eligibility_names_the_first_failing_rule(fields, reason):
    assert eligibility(applicant=child(1, **fields), group=THREE_TO_FOUR, at=AT) is reason


def test_reason_values_are_stable_snake_case():
    assert Reason.PASSED_OVER_HOLDS_BETTER_OFFER == "passed_over_holds_better_offer"
    assert all(r.value == r.name.lower() for r in Reason)


def test_a_child_turning_two_today_joins_the_two_to_three_group_and_leaves_the_nursery():
    born = dt.date(2024, 9, 1)  # 24 months old exactly at AT
    nursery = GroupSpec(id=1, kindergarten=1, ages=AgeRange(12, 24))
    two_to_three = GroupSpec(id=2, kindergarten=1, ages=AgeRange(24, 36))
    today, yesterday = child(1, born=born), child(2, born=born + dt.timedelta(days=1))
    assert ids(group_queue(applicants=[today, yesterday], group=two_to_three, at=AT)) == [1]
    assert ids(group_queue(applicants=[today, yesterday], group=nursery, at=AT)) == [2]


def test_a_special_group_queues_only_children_with_its_referral_and_a_general_group_all():
    inclusive = GroupSpec(id=1, kindergarten=1, ages=AgeRange(36, 48), referral="pmpk")
    pmpk, lkk, none = (
        child(1, referrals=frozenset({"pmpk"})),
        child(2, referrals=frozenset({"lkk"})),
        child(3),
    )
    assert ids(group_queue(applicants=[pmpk, lkk, none], group=inclusive, at=AT)) == [1]
    assert eligibility(applicant=lkk, group=inclusive, at=AT) is Reason.NOT_ELIGIBLE_NO_REFERRAL
    assert ids(group_queue(applicants=[pmpk, lkk, none], group=THREE_TO_FOUR, at=AT)) == [1, 2, 3]


def test_an_enrolled_child_kept_waiting_queues_only_above_its_own_kindergarten():
    waiting = child(1, choices=(3, 1, 2, 4), enrolled_in=2, keep_waiting=True)
    not_waiting = child(2, choices=(3, 1, 2, 4), enrolled_in=2)
    elsewhere = child(3, choices=(3, 1), enrolled_in=9, keep_waiting=True)  # not ranked: last
    children = [waiting, not_waiting, elsewhere]
    for kindergarten, expected in [(3, [1, 3]), (1, [1, 3]), (2, []), (4, [])]:
        group = GroupSpec(id=kindergarten, kindergarten=kindergarten, ages=AgeRange(36, 48))
        assert ids(group_queue(applicants=children, group=group, at=AT)) == expected
    own = GroupSpec(id=2, kindergarten=2, ages=AgeRange(36, 48))
    assert eligibility(applicant=waiting, group=own, at=AT) is Reason.NOT_ELIGIBLE_ENROLLED


def test_position_counts_the_children_ahead_by_tier():
    children = [
        child(1, registered=JAN_1),
        child(2, registered=JAN_2),
        child(3, registered=JAN_3, tier=Tier.OUT_OF_TURN),
        child(4, registered=JAN_3, tier=Tier.GUARANTEED),
        child(5, registered=JAN_1, active=False),
    ]
    mine = position(applicants=children, group=THREE_TO_FOUR, at=AT, applicant_id=2)
    assert mine is not None
    assert (mine.place, mine.size) == (4, 4)
    assert mine.ahead_by_tier == {
        Tier.OUT_OF_TURN: 1,
        Tier.FIRST_PRIORITY: 0,
        Tier.GUARANTEED: 1,
        Tier.NONE: 1,
    }
    assert position(applicants=children, group=THREE_TO_FOUR, at=AT, applicant_id=5) is None
    assert position(applicants=children, group=THREE_TO_FOUR, at=AT, applicant_id=99) is None


@settings(max_examples=150)
@given(applicants=applicants_st(), groups=groups_st, seed=st.randoms(use_true_random=False))
def test_the_queue_is_the_eligible_children_in_priority_order_whatever_the_input_order(
    applicants, groups, seed
):
    assert in_priority_order(reversed(applicants)) == sorted(applicants, key=priority)
    for group in groups.values():
        queue = group_queue(applicants=applicants, group=group, at=AT)
        eligible = {
            a.id
            for a in applicants
            if eligibility(applicant=a, group=group, at=AT) is Reason.ELIGIBLE
        }
        assert set(ids(queue)) == eligible
        assert [priority(a) for a in queue] == sorted(priority(a) for a in queue)
        assert all(priority(a) == priority_key(a) for a in applicants)
        shuffled = list(applicants)
        seed.shuffle(shuffled)
        assert group_queue(applicants=shuffled, group=group, at=AT) == queue
        for place, a in enumerate(queue, start=1):
            mine = position(applicants=shuffled, group=group, at=AT, applicant_id=a.id)
            assert mine is not None
            assert (mine.place, mine.size) == (place, len(queue))
            assert sum(mine.ahead_by_tier.values()) == place - 1
