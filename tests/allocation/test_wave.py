"""The September intake: SPEC.md "Group formation (the offer cycle)", the wave."""

import random
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matching.games import HospitalResident  # type: ignore[import-untyped]

from sadok.allocation.ages import AgeRange
from sadok.allocation.model import GroupSpec, OpenOffer, Place, Reason, Tier
from sadok.allocation.queue import eligibility, priority, rank_limit, standing
from sadok.allocation.wave import wave
from tests.allocation.strategies import AT, REGISTERED, child, cities

JAN_1, JAN_2, JAN_3 = REGISTERED
GROUPS = {
    10: GroupSpec(id=10, kindergarten=1, ages=AgeRange(36, 48)),
    11: GroupSpec(id=11, kindergarten=1, ages=AgeRange(24, 48)),
    20: GroupSpec(id=20, kindergarten=2, ages=AgeRange(36, 48)),
    21: GroupSpec(id=21, kindergarten=2, ages=AgeRange(36, 48), referral="pmpk"),
}


def run(places, children, groups=GROUPS):
    return wave(
        places=[Place(id=p, group=g) for p, g in places], groups=groups, applicants=children, at=AT
    )


def assignment(allocation):
    return {o.applicant: o.group for o in allocation.offers}


def test_each_child_in_queue_order_takes_its_best_ranked_group_with_a_place_left():
    children = [
        child(1, choices=(1, 2), registered=JAN_2),
        child(2, choices=(1, 2), registered=JAN_3, tier=Tier.GUARANTEED),
        child(3, choices=(1, 2), registered=JAN_1),
        child(4, choices=(1,), registered=JAN_3),
    ]
    result = run([(101, 10), (201, 20)], children)
    # The IDP child first, then by registration: child 3 takes the last place, in its second choice.
    assert assignment(result) == {2: 10, 3: 20}
    assert [d.applicant for d in result.decisions] == [2, 3]
    assert all(d.reason is Reason.OFFERED for d in result.decisions)


def test_a_kindergartens_groups_go_in_id_order_and_places_in_id_order():
    result = run([(112, 11), (111, 11), (101, 10)], [child(1), child(2), child(3)])
    assert [(o.applicant, o.group, o.place) for o in result.offers] == [
        (1, 10, 101),
        (2, 11, 111),
        (3, 11, 112),
    ]


def test_a_special_group_place_goes_to_a_child_with_the_referral_even_behind_others():
    children = [child(1, choices=(2,)), child(2, choices=(2,), referrals=frozenset({"pmpk"}))]
    result = run([(211, 21), (201, 20)], children)
    assert assignment(result) == {1: 20, 2: 21}  # child 2 skipped the general group: taken


def test_an_enrolled_child_kept_waiting_competes_only_above_its_own_kindergarten():
    waiting = child(1, choices=(1, 2), enrolled_in=2, keep_waiting=True, tier=Tier.OUT_OF_TURN)
    result = run([(201, 20)], [waiting, child(2, choices=(2,))])
    assert assignment(result) == {2: 20}


def test_places_nobody_may_take_are_left_unfilled_with_the_reason():
    result = run([(101, 10), (201, 20), (202, 20)], [child(1, choices=(2,))])
    assert [p.id for p in result.unfilled] == [101, 202]
    assert [(d.place, d.reason) for d in result.decisions[1:]] == [
        (101, Reason.UNFILLED_NO_ELIGIBLE_CHILD),
        (202, Reason.UNFILLED_NO_ELIGIBLE_CHILD),
    ]


@pytest.mark.parametrize(
    ("places", "message"),
    [([(101, 10), (101, 11)], "declared twice"), ([(101, 99)], "not in `groups`")],
)
def test_inputs_that_break_an_invariant_are_refused(places, message):
    with pytest.raises(ValueError, match=message):
        run(places, [child(1)])


def resident_optimal(city):
    """The `matching` library's resident-optimal stable matching, as applicant -> group.

    Residents are the children, ranking every group they are eligible for by their
    kindergarten's rank, then by group id; hospitals are the groups with places, ranking
    the children who rank them in the common priority order.
    """
    capacities = {}
    for place in city.places:
        capacities[place.group] = capacities.get(place.group, 0) + 1
    resident_prefs = {}
    for a in city.applicants:
        fitting = [
            g
            for g in city.groups.values()
            if g.id in capacities and eligibility(applicant=a, group=g, at=AT) is Reason.ELIGIBLE
        ]
        if fitting:
            fitting.sort(key=lambda g: (a.rank(g.kindergarten), g.id))
            resident_prefs[a.id] = [g.id for g in fitting]
    hospital_prefs = {}
    for a in sorted(city.applicants, key=priority):
        for group_id in resident_prefs.get(a.id, ()):
            hospital_prefs.setdefault(group_id, []).append(a.id)
    if not resident_prefs:
        return {}
    capacities = {g: capacities[g] for g in hospital_prefs}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an ill-formed game warns; never let it pass
        game = HospitalResident.create_from_dictionaries(resident_prefs, hospital_prefs, capacities)
        matching = game.solve(optimal="resident")
    assert game.check_validity()
    assert game.check_stability()
    from_hospitals = {r.name: h.name for h, residents in matching.items() for r in residents}
    assert from_hospitals == {r.name: r.matching.name for r in game.residents if r.matching}
    return from_hospitals


@settings(max_examples=150, deadline=None)
@given(city=cities(with_open_offers=False, max_applicants=20))
def test_the_wave_is_the_resident_optimal_stable_matching(city):
    result = wave(places=city.places, groups=city.groups, applicants=city.applicants, at=AT)
    assert assignment(result) == resident_optimal(city)


@settings(max_examples=150)
@given(city=cities(with_open_offers=False), seed=st.integers(0, 2**32))
def test_the_wave_keeps_every_invariant_and_ignores_input_order(city, seed):
    result = wave(places=city.places, groups=city.groups, applicants=city.applicants, at=AT)
    by_id = {a.id: a for a in city.applicants}
    places = [o.place for o in result.offers]
    assert len(places) == len(set(places)), "a place given to two children"
    assert len(result.offers) == len(assignment(result)), "a child with two offers"
    for o in result.offers:
        group = city.groups[o.group]
        assert o.kindergarten == group.kindergarten
        assert eligibility(applicant=by_id[o.applicant], group=group, at=AT) is Reason.ELIGIBLE
    unfilled = [p.id for p in result.unfilled]
    assert sorted(places + unfilled) == sorted(p.id for p in city.places)
    assert [d.place for d in result.decisions] == places + unfilled
    assert [d.applicant for d in result.decisions] == [o.applicant for o in result.offers] + [
        None
    ] * len(unfilled)
    shuffled = list(city.applicants)
    random.Random(seed).shuffle(shuffled)
    again = wave(places=city.places, groups=city.groups, applicants=iter(shuffled), at=AT)
    assert again == result


# -- the wave with children holding open offers (the upgrade rule in the wave) --------


def final_groups(city, result):
    """Where each child ends: its new offer's group, or the group it holds and keeps."""
    moved = {o.applicant for o in result.withdrawn}
    kept = {o.applicant: o.group for o in city.open_offers if o.applicant not in moved}
    return kept | {o.applicant: o.group for o in result.offers}


def holders_first_optimal(city):
    """The `matching` library's resident-optimal stable matching of the wave with
    holders: groups' capacities are their declared and held places; a child ranks the
    groups it is eligible for by kindergarten rank, then id, a holder only those above
    the kindergarten it holds and then its own group; a group ranks its holders first,
    then everyone by the common priority order."""
    holds = {o.applicant: o for o in city.open_offers}
    capacities = {}
    for group in [p.group for p in city.places] + [o.group for o in city.open_offers]:
        capacities[group] = capacities.get(group, 0) + 1
    resident_prefs = {}
    for a in city.applicants:
        held = holds.get(a.id)
        wanted = []
        if standing(a) is Reason.ELIGIBLE:
            limit = rank_limit(a)
            if held is not None:
                limit = min(limit, a.rank(held.kindergarten))
            fitting = [
                g
                for g in city.groups.values()
                if g.id in capacities
                and g.kindergarten in a.choices[:limit]
                and eligibility(applicant=a, group=g, at=AT) is Reason.ELIGIBLE
            ]
            fitting.sort(key=lambda g: (a.rank(g.kindergarten), g.id))
            wanted = [g.id for g in fitting]
        if held is not None:
            wanted.append(held.group)
        if wanted:
            resident_prefs[a.id] = wanted
    hospital_prefs = {}
    ordered = sorted(
        city.applicants,
        key=lambda a: (0 if a.id in holds else 1, priority(a)),
    )
    for group_id in sorted(capacities):
        first = [a.id for a in ordered if a.id in holds and holds[a.id].group == group_id]
        rest = [
            a.id
            for a in sorted(city.applicants, key=priority)
            if group_id in resident_prefs.get(a.id, ()) and a.id not in first
        ]
        ranked = [pk for pk in first + rest if group_id in resident_prefs.get(pk, ())]
        if ranked:
            hospital_prefs[group_id] = ranked
    if not resident_prefs:
        return {}
    capacities = {g: capacities[g] for g in hospital_prefs}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        game = HospitalResident.create_from_dictionaries(resident_prefs, hospital_prefs, capacities)
        matching = game.solve(optimal="resident")
    assert game.check_validity()
    assert game.check_stability()
    return {r.name: h.name for h, residents in matching.items() for r in residents}


@settings(max_examples=200, deadline=None)
@given(city=cities(with_open_offers=True, max_applicants=16))
def test_the_wave_with_holders_is_the_child_optimal_stable_matching(city):
    result = wave(
        places=city.places,
        groups=city.groups,
        applicants=city.applicants,
        at=AT,
        open_offers=city.open_offers,
    )
    assert final_groups(city, result) == holders_first_optimal(city)


@settings(max_examples=150, deadline=None)
@given(city=cities(with_open_offers=True), seed=st.integers(0, 2**32))
def test_the_wave_with_holders_keeps_every_invariant(city, seed):
    result = wave(
        places=city.places,
        groups=city.groups,
        applicants=city.applicants,
        at=AT,
        open_offers=city.open_offers,
    )
    holds = {o.applicant: o for o in city.open_offers}
    pool = {p.id for p in city.places} | {o.place for o in city.open_offers}
    places = [o.place for o in result.offers]
    assert len(places) == len(set(places)), "a place given to two children"
    assert set(places) <= pool
    ends = final_groups(city, result)
    assert len(result.offers) == len({o.applicant for o in result.offers})
    for o in result.withdrawn:
        assert holds[o.applicant] == o, "only a holder's own offer is withdrawn"
    for pk, offer in holds.items():  # nobody loses the place it holds for a worse one
        a = next(a for a in city.applicants if a.id == pk)
        end = city.groups[ends[pk]]
        assert a.rank(end.kindergarten) <= a.rank(offer.kindergarten)
    kept = {
        o.place
        for o in city.open_offers
        if o.applicant not in {w.applicant for w in result.withdrawn}
    }
    unfilled = {p.id for p in result.unfilled}
    assert set(places) | kept | unfilled == pool
    assert not set(places) & kept
    shuffled = list(city.applicants)
    random.Random(seed).shuffle(shuffled)
    again = wave(
        places=city.places,
        groups=city.groups,
        applicants=iter(shuffled),
        at=AT,
        open_offers=list(reversed(city.open_offers)),
    )
    assert again == result


@settings(max_examples=150, deadline=None)
@given(city=cities(with_open_offers=False))
def test_deferred_acceptance_without_holders_is_the_serial_dictatorship(city):
    from sadok.allocation.wave import _with_holders

    da = _with_holders(
        places=city.places, groups=city.groups, applicants=city.applicants, at=AT, open_offers=[]
    )
    sd = wave(places=city.places, groups=city.groups, applicants=city.applicants, at=AT)
    assert da == sd


def test_a_child_holding_its_second_choice_takes_its_first_in_the_wave_before_a_newer_child():
    """The outside test's case: registered 700 days ago, holding an offer at its 2nd
    choice, it must not lose its 1st choice's wave place to a child of 10 days."""
    old = child(1, choices=(1, 2), registered=JAN_1)
    new = child(2, choices=(1,), registered=JAN_3)
    held = OpenOffer(place=500, group=20, kindergarten=2, applicant=1)
    result = wave(
        places=[Place(id=101, group=10)],
        groups=GROUPS,
        applicants=[old, new],
        at=AT,
        open_offers=[held],
    )
    assert [(o.applicant, o.place) for o in result.offers] == [(1, 101)]
    assert result.withdrawn == (held,)
    assert [p.id for p in result.unfilled] == [500]  # child 2 chose only kindergarten 1


def test_a_place_a_holder_leaves_goes_on_in_the_same_wave():
    upgrading = child(1, choices=(1, 2), registered=JAN_1)
    waiting = child(2, choices=(2,), registered=JAN_3)
    held = OpenOffer(place=500, group=20, kindergarten=2, applicant=1)
    result = wave(
        places=[Place(id=101, group=10)],
        groups=GROUPS,
        applicants=[upgrading, waiting],
        at=AT,
        open_offers=[held],
    )
    assert sorted((o.applicant, o.place) for o in result.offers) == [(1, 101), (2, 500)]
    assert [d.reason for d in result.decisions] == [
        Reason.UPGRADED,
        Reason.WITHDRAWN_FOR_UPGRADE,
        Reason.OFFERED,
    ]
