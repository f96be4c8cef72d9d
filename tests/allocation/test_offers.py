"""'+N free places' become offers at once: SPEC.md "Group formation (the offer cycle)"."""

import random
from collections import deque
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sadok.allocation import offers as offers_module
from sadok.allocation.ages import AgeRange
from sadok.allocation.model import GroupSpec, OpenOffer, Place, Reason, Tier
from sadok.allocation.offers import allocate
from sadok.allocation.queue import group_queue
from tests.allocation.strategies import AT, REGISTERED, child, cities

JAN_1, JAN_2, JAN_3 = REGISTERED
# One three-to-four group in each of kindergartens 1, 2 and 3: group 10, 20, 30.
GROUPS = {k * 10: GroupSpec(id=k * 10, kindergarten=k, ages=AgeRange(36, 48)) for k in (1, 2, 3)}


def offer(place, group, applicant):
    return OpenOffer(
        place=place, group=group, kindergarten=GROUPS[group].kindergarten, applicant=applicant
    )


def run(places, children, open_offers=(), groups=GROUPS):
    return allocate(
        places=[Place(id=p, group=g) for p, g in places],
        groups=groups,
        applicants=children,
        open_offers=list(open_offers),
        at=AT,
    )


def given_to(allocation):
    return {o.place: o.applicant for o in allocation.offers}


def steps(allocation):
    return [(d.applicant, d.place, d.reason) for d in allocation.decisions]


def test_plus_two_offers_the_two_first_children_in_the_queue():
    children = [child(1, registered=JAN_2), child(2, registered=JAN_3), child(3, registered=JAN_1)]
    result = run([(101, 10), (102, 10)], children)
    assert given_to(result) == {101: 3, 102: 1}
    assert steps(result) == [(3, 101, Reason.OFFERED), (1, 102, Reason.OFFERED)]
    assert result.withdrawn == result.unfilled == ()


def test_the_second_child_gets_the_place_when_the_first_holds_an_offer_it_ranked_higher():
    first = child(1, choices=(2, 1), tier=Tier.FIRST_PRIORITY)
    second = child(2, choices=(1,))
    result = run([(101, 10)], [first, second], open_offers=[offer(201, 20, 1)])
    assert given_to(result) == {101: 2}
    assert steps(result) == [
        (1, 101, Reason.PASSED_OVER_HOLDS_BETTER_OFFER),
        (2, 101, Reason.OFFERED),
    ]


def test_a_child_holding_an_offer_in_the_same_kindergarten_is_passed_over():
    other_group = GroupSpec(id=11, kindergarten=1, ages=AgeRange(24, 48))
    groups = {**GROUPS, 11: other_group}
    holder = OpenOffer(place=111, group=11, kindergarten=1, applicant=1)
    result = run([(101, 10)], [child(1), child(2)], open_offers=[holder], groups=groups)
    assert given_to(result) == {101: 2}


def test_a_child_holding_an_offer_it_ranked_lower_is_upgraded_and_its_place_offered_on():
    first = child(1, choices=(1, 2), registered=JAN_1)
    second = child(2, choices=(2,), registered=JAN_2)
    result = run([(101, 10)], [first, second], open_offers=[offer(201, 20, 1)])
    assert given_to(result) == {101: 1, 201: 2}
    assert result.withdrawn == (offer(201, 20, 1),)
    assert steps(result) == [
        (1, 101, Reason.UPGRADED),
        (1, 201, Reason.WITHDRAWN_FOR_UPGRADE),
        # Not "passed over" at 201 as well: it gave that place up itself.
        (2, 201, Reason.OFFERED),
    ]
    assert result.decisions[0].withdrawn_place == 201


def test_an_upgrade_cascades_across_two_kindergartens():
    # Olena holds an offer in kindergarten 2 but ranked 1 first; Petro holds one in 3 but
    # ranked 2 first; Iryna waits for 3. A place in 1 moves all three up.
    olena = child(1, choices=(1, 2), registered=JAN_1)
    petro = child(2, choices=(2, 3), registered=JAN_1)
    iryna = child(3, choices=(3,), registered=JAN_3)
    result = run(
        [(101, 10)],
        [iryna, petro, olena],
        open_offers=[offer(201, 20, 1), offer(301, 30, 2)],
    )
    assert given_to(result) == {101: 1, 201: 2, 301: 3}
    assert set(result.withdrawn) == {offer(201, 20, 1), offer(301, 30, 2)}
    assert steps(result) == [
        (1, 101, Reason.UPGRADED),
        (1, 201, Reason.WITHDRAWN_FOR_UPGRADE),
        (2, 201, Reason.UPGRADED),
        (2, 301, Reason.WITHDRAWN_FOR_UPGRADE),
        (3, 301, Reason.OFFERED),
    ]


def test_an_offer_made_and_bettered_in_the_same_run_is_never_written():
    first = child(1, choices=(1, 2), registered=JAN_1)
    second = child(2, choices=(2,), registered=JAN_2)
    result = run([(201, 20), (101, 10)], [first, second])
    assert given_to(result) == {101: 1, 201: 2}
    assert result.withdrawn == ()
    assert steps(result) == [
        (1, 201, Reason.OFFERED),
        (1, 101, Reason.UPGRADED),
        (1, 201, Reason.WITHDRAWN_FOR_UPGRADE),
        (2, 201, Reason.OFFERED),
    ]


def test_an_enrolled_child_kept_waiting_is_offered_only_above_its_own_kindergarten():
    waiting = child(1, choices=(1, 2, 3), enrolled_in=2, keep_waiting=True, tier=Tier.OUT_OF_TURN)
    result = run([(101, 10), (301, 30)], [waiting, child(2, choices=(3,))])
    assert given_to(result) == {101: 1, 301: 2}


def test_a_place_nobody_may_take_stays_unfilled():
    too_young = child(1, born=AT.replace(year=AT.year - 1))
    result = run([(101, 10), (102, 10)], [too_young, child(2)])
    assert given_to(result) == {101: 2}
    assert result.unfilled == (Place(id=102, group=10),)
    assert steps(result)[-1] == (None, 102, Reason.UNFILLED_NO_ELIGIBLE_CHILD)


@pytest.mark.parametrize(
    ("places", "open_offers", "message"),
    [
        ([(101, 10), (101, 10)], [], "declared free twice"),
        ([(101, 10)], [offer(101, 10, 1)], "have open offers"),
        ([], [offer(201, 20, 1), offer(202, 20, 1)], "two open offers"),
        ([], [offer(201, 20, 1), offer(201, 20, 2)], "two children"),
        ([(101, 99)], [], "not in `groups`"),
    ],
)
def test_inputs_that_break_an_invariant_are_refused(places, open_offers, message):
    with pytest.raises(ValueError, match=message):
        run(places, [child(1), child(2)], open_offers=open_offers)


@pytest.mark.parametrize("scans", [0, 3])
def test_a_kindergarten_listed_twice_still_queues_the_child_once(scans):
    children = [child(1, choices=(1, 2, 1)), child(2, choices=(1,))]
    with mock.patch.object(offers_module, "_SCANS_BEFORE_INDEX", scans):
        result = run([(101, 10), (102, 10)], children)
    assert given_to(result) == {101: 1, 102: 2}


def apply(open_offers, allocation):
    """The open offers after the allocation is written, checking its invariants."""
    by_place = {o.place: o for o in open_offers}
    for old in allocation.withdrawn:
        assert by_place.pop(old.place) == old
    for new in allocation.offers:
        assert new.place not in by_place, "a place given to two children"
        by_place[new.place] = new
    holders = [o.applicant for o in by_place.values()]
    assert len(holders) == len(set(holders)), "a child with two open offers"
    return by_place


def naive_allocate(city):
    """The rule read literally: every place walks its whole queue again from the top."""
    held = {o.applicant: o for o in city.open_offers}
    made, withdrawn, unfilled = {}, [], []
    line = deque(city.places)
    while line:
        place = line.popleft()
        group = city.groups[place.group]
        for a in group_queue(applicants=city.applicants, group=group, at=AT):
            current = held.get(a.id)
            if current is None or a.rank(current.kindergarten) > a.rank(group.kindergarten):
                break
        else:
            unfilled.append(place)
            continue
        new = OpenOffer(place.id, group.id, group.kindergarten, a.id)
        if current is not None:
            if made.pop(current.place, None) is None:
                withdrawn.append(current)
            line.append(Place(id=current.place, group=current.group))
        held[a.id] = made[place.id] = new
    return tuple(made.values()), tuple(withdrawn), tuple(unfilled)


def check_decisions(city, allocation):
    """Replay the decisions: each is allowed by the rule when it is taken, and no queue skips."""
    child_by_id = {a.id: a for a in city.applicants}
    held = {o.applicant: o for o in city.open_offers}
    queues = {
        g.id: [a.id for a in group_queue(applicants=city.applicants, group=g, at=AT)]
        for g in city.groups.values()
    }
    walked = {g: [] for g in city.groups}
    # A child who gave up a place of a group for a better one is not passed over for
    # it: the walk of that group may go past it without a decision.
    left = {g: set() for g in city.groups}
    previous = None
    for d in allocation.decisions:
        group = city.groups[d.group]
        a = child_by_id.get(d.applicant)
        current = held.get(d.applicant)
        if d.reason is Reason.UNFILLED_NO_ELIGIBLE_CHILD:
            assert _walked_in_order(walked[d.group], queues[d.group], left[d.group], whole=True)
        elif d.reason is Reason.WITHDRAWN_FOR_UPGRADE:
            assert previous.reason is Reason.UPGRADED
            assert (previous.applicant, previous.withdrawn_place) == (d.applicant, d.place)
            left[d.group].add(d.applicant)
        else:
            walked[d.group].append(d.applicant)
            if d.reason is Reason.OFFERED:
                assert current is None
            elif d.reason is Reason.UPGRADED:
                assert a.rank(current.kindergarten) > a.rank(group.kindergarten)
                assert d.withdrawn_place == current.place
            else:
                assert d.reason is Reason.PASSED_OVER_HOLDS_BETTER_OFFER
                assert a.rank(current.kindergarten) <= a.rank(group.kindergarten)
            if d.reason is not Reason.PASSED_OVER_HOLDS_BETTER_OFFER:
                held[d.applicant] = OpenOffer(d.place, d.group, group.kindergarten, d.applicant)
        previous = d
    for group_id, considered in walked.items():
        assert _walked_in_order(considered, queues[group_id], left[group_id]), "a child skipped"
    return held


def _walked_in_order(considered, queue, left, *, whole=False):
    """`considered` is `queue` walked in order from its start, where a child in
    `left` may be gone past without a decision (to its end when `whole`)."""
    i = 0
    for pk in queue:
        if i < len(considered) and considered[i] == pk:
            i += 1
        elif pk in left:
            continue
        elif i < len(considered) or whole:
            return False
        else:
            break
    return i == len(considered)


@settings(max_examples=200)
@given(city=cities())
def test_offers_keep_every_invariant_and_follow_the_rule_step_by_step(city):
    result = allocate(
        places=city.places,
        groups=city.groups,
        applicants=city.applicants,
        open_offers=city.open_offers,
        at=AT,
    )
    after = apply(city.open_offers, result)
    replayed = check_decisions(city, result)
    assert {o.applicant: o for o in after.values()} == replayed
    # Every place, declared or freed by an upgrade, ends offered or unfilled, never both.
    freed = {o.place for o in result.withdrawn}
    offered = {o.place for o in result.offers}
    unfilled = {p.id for p in result.unfilled}
    assert offered | unfilled == {p.id for p in city.places} | freed
    assert not offered & unfilled
    unfilled_reasons = [
        d.place for d in result.decisions if d.reason is Reason.UNFILLED_NO_ELIGIBLE_CHILD
    ]
    assert sorted(unfilled_reasons) == sorted(unfilled)
    assert (result.offers, result.withdrawn, result.unfilled) == naive_allocate(city)


@settings(max_examples=150)
@given(city=cities(), seed=st.integers(0, 2**32))
def test_offers_do_not_depend_on_the_input_order_of_children_or_open_offers(city, seed):
    def once(applicants, open_offers):
        return allocate(
            places=city.places,
            groups=city.groups,
            applicants=iter(applicants),
            open_offers=open_offers,
            at=AT,
        )

    first = once(city.applicants, city.open_offers)
    assert once(city.applicants, city.open_offers) == first
    shuffled, offers = list(city.applicants), list(city.open_offers)
    random.Random(seed).shuffle(shuffled)
    random.Random(seed).shuffle(offers)
    assert once(shuffled, offers) == first


@settings(max_examples=100)
@given(city=cities())
def test_indexing_every_choice_at_once_gives_what_scanning_one_kindergarten_gives(city):
    def once():
        return allocate(
            places=city.places,
            groups=city.groups,
            applicants=city.applicants,
            open_offers=city.open_offers,
            at=AT,
        )

    scanned = once()
    with mock.patch.object(offers_module, "_SCANS_BEFORE_INDEX", 0):
        assert once() == scanned
