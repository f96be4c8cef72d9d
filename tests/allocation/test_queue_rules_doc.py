"""The worked examples of docs/queue-rules.md, one test each."""

import datetime as dt

from sadok.allocation import (
    AgeRange,
    Applicant,
    GroupSpec,
    OpenOffer,
    Place,
    Reason,
    Tier,
    allocate,
    group_queue,
    wave,
)

TODAY = dt.date(2026, 11, 27)
GROUP_1 = GroupSpec(id=1, kindergarten=1, ages=AgeRange(24, 36))
GROUP_2 = GroupSpec(id=2, kindergarten=2, ages=AgeRange(24, 36))
GROUPS = {1: GROUP_1, 2: GROUP_2}


def child(id, registered, *, tier=Tier.NONE, lottery=500, choices=(1,), born=dt.date(2024, 6, 1)):
    return Applicant(
        id=id,
        born=born,
        registered_at=dt.datetime.fromisoformat(registered).replace(tzinfo=dt.UTC),
        lottery=lottery,
        number=f"N{id:05d}",
        tier=tier,
        choices=choices,
        referrals=frozenset(),
    )


OLENA, PETRO, MARIA, MARKO, IRA = 1, 2, 3, 4, 5


def _ids(queue):
    return [a.id for a in queue]


def test_example_1_privilege_tiers_before_registration_dates():
    queue = group_queue(
        applicants=[
            child(OLENA, "2025-01-10T09:00"),
            child(PETRO, "2026-03-01T09:00", tier=Tier.GUARANTEED),
            child(MARIA, "2026-06-01T09:00", tier=Tier.OUT_OF_TURN),
        ],
        group=GROUP_1,
        at=TODAY,
    )
    assert _ids(queue) == [MARIA, PETRO, OLENA]


def test_example_2_the_lottery_decides_between_equal_dates():
    queue = group_queue(
        applicants=[
            child(OLENA, "2026-01-10T09:00", lottery=418),
            child(PETRO, "2026-01-10T09:00", lottery=77),
        ],
        group=GROUP_1,
        at=TODAY,
    )
    assert _ids(queue) == [PETRO, OLENA]


def test_example_3_an_expired_privilege_falls_back_to_the_date():
    # The database side turns an expired claim into Tier.NONE (sadok.queue.applicants.py).
    queue = group_queue(
        applicants=[child(OLENA, "2025-01-10T09:00"), child(PETRO, "2026-03-01T09:00")],
        group=GROUP_1,
        at=TODAY,
    )
    assert _ids(queue) == [OLENA, PETRO]


def test_example_4_age_counts_at_the_moment():
    one_to_two = GroupSpec(id=3, kindergarten=1, ages=AgeRange(12, 24))
    turns_two = child(OLENA, "2025-01-10T09:00", born=dt.date(2024, 11, 27))
    assert _ids(group_queue(applicants=[turns_two], group=GROUP_1, at=TODAY)) == [OLENA]
    assert group_queue(applicants=[turns_two], group=one_to_two, at=TODAY) == []
    yesterday = TODAY - dt.timedelta(days=1)
    assert group_queue(applicants=[turns_two], group=GROUP_1, at=yesterday) == []
    assert _ids(group_queue(applicants=[turns_two], group=one_to_two, at=yesterday)) == [OLENA]


def test_example_5_plus_two_offers_the_first_two():
    result = allocate(
        places=[Place(id=10, group=1), Place(id=11, group=1)],
        groups=GROUPS,
        applicants=[
            child(OLENA, "2025-01-10T09:00"),
            child(PETRO, "2025-02-10T09:00"),
            child(MARIA, "2025-03-10T09:00"),
        ],
        open_offers=[],
        at=TODAY,
    )
    assert sorted(o.applicant for o in result.offers) == [OLENA, PETRO]


def test_example_6_the_upgrade_rule_moves_the_old_offer_on():
    result = allocate(
        places=[Place(id=10, group=1)],
        groups=GROUPS,
        applicants=[
            child(MARKO, "2025-01-10T09:00", choices=(1, 2)),
            child(IRA, "2025-02-10T09:00", choices=(2,)),
        ],
        open_offers=[OpenOffer(place=20, group=2, kindergarten=2, applicant=MARKO)],
        at=TODAY,
    )
    assert {(o.place, o.applicant) for o in result.offers} == {(10, MARKO), (20, IRA)}
    assert [(w.place, w.applicant) for w in result.withdrawn] == [(20, MARKO)]


def test_example_7_a_child_with_a_better_offer_is_passed_over_with_the_reason():
    result = allocate(
        places=[Place(id=20, group=2)],
        groups=GROUPS,
        applicants=[
            child(MARKO, "2025-01-10T09:00", choices=(1, 2)),
            child(IRA, "2025-02-10T09:00", choices=(2,)),
        ],
        open_offers=[OpenOffer(place=10, group=1, kindergarten=1, applicant=MARKO)],
        at=TODAY,
    )
    assert [(o.place, o.applicant) for o in result.offers] == [(20, IRA)]
    passed = [d for d in result.decisions if d.applicant == MARKO]
    assert [d.reason for d in passed] == [Reason.PASSED_OVER_HOLDS_BETTER_OFFER]


def test_example_8_the_wave_is_serial_dictatorship():
    result = wave(
        places=[Place(id=10, group=1), Place(id=20, group=2)],
        groups=GROUPS,
        applicants=[
            child(OLENA, "2025-01-10T09:00", choices=(2, 1)),
            child(PETRO, "2025-02-10T09:00", choices=(2, 1)),
            child(MARIA, "2025-03-10T09:00", choices=(2,)),
        ],
        at=TODAY,
    )
    assert {o.applicant: o.kindergarten for o in result.offers} == {OLENA: 2, PETRO: 1}


def test_example_9_a_child_holding_an_offer_keeps_the_upgrade_rule_in_the_wave():
    result = wave(
        places=[Place(id=10, group=1)],
        groups=GROUPS,
        applicants=[
            child(MARKO, "2024-12-01T09:00", choices=(1, 2)),
            child(IRA, "2026-11-20T09:00", choices=(1,)),
        ],
        open_offers=[OpenOffer(place=20, group=2, kindergarten=2, applicant=MARKO)],
        at=TODAY,
    )
    assert [(o.applicant, o.kindergarten) for o in result.offers] == [(MARKO, 1)]
    assert [o.place for o in result.withdrawn] == [20]
    assert [p.id for p in result.unfilled] == [20]
