import datetime as dt

import pytest

from sadok.kindergartens.selectors import (
    DirectoryFilter,
    groups_with_places,
    kindergarten_page,
    kindergartens_filtered,
    kindergartens_with_places,
)
from sadok.offers.models import Place
from tests.factories import (
    DistrictFactory,
    EnrollmentFactory,
    GroupFactory,
    KindergartenFactory,
    SpecialisationFactory,
    enroll,
)

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 27)


def test_vacant_and_total_places_of_a_kindergarten_add_up_over_its_groups():
    kindergarten = KindergartenFactory()
    nursery = GroupFactory(kindergarten=kindergarten, capacity=20)
    younger = GroupFactory(
        kindergarten=kindergarten, capacity=20, age_from_months=36, age_to_months=48
    )
    older = GroupFactory(
        kindergarten=kindergarten, capacity=50, age_from_months=48, age_to_months=84
    )
    enroll(nursery, 19)
    enroll(younger, 20)
    enroll(older, 50)

    page, _groups = kindergarten_page(number=kindergarten.number)

    assert (page.vacant, page.total, page.enrolled) == (1, 90, 89)
    by_name = {g.name: (g.vacant, g.capacity) for g in groups_with_places()}
    assert by_name[nursery.name] == (1, 20)
    assert by_name[younger.name] == (0, 20)


def test_children_who_left_free_their_place():
    group = GroupFactory(capacity=2)
    EnrollmentFactory(group=group)
    EnrollmentFactory(group=group, ended_on=dt.date(2026, 1, 1))
    assert groups_with_places().get().vacant == 1


def test_an_overfull_group_shows_no_vacancy_and_does_not_hide_others():
    # A head lowered the capacity below the children still attending.
    kindergarten = KindergartenFactory()
    enroll(GroupFactory(kindergarten=kindergarten, capacity=2), 3)
    GroupFactory(kindergarten=kindergarten, capacity=5, age_from_months=36, age_to_months=48)
    page, _groups = kindergarten_page(number=kindergarten.number)
    assert (page.vacant, page.total) == (5, 7)


def test_a_kindergarten_without_groups_has_no_places():
    kindergarten = KindergartenFactory()
    page, _groups = kindergarten_page(number=kindergarten.number)
    assert (page.vacant, page.total, page.enrolled) == (0, 0, 0)
    assert kindergarten_page(number=kindergarten.number + 1000) is None


def test_a_kindergartens_page_sums_what_the_directory_annotates():
    """The page's totals, summed from its groups, are the directory's (one query)."""
    kindergarten = KindergartenFactory()
    for low, capacity, enrolled in ((12, 10, 4), (24, 20, 20), (36, 5, 7)):
        group = GroupFactory(
            kindergarten=kindergarten,
            age_from_months=low,
            age_to_months=low + 12,
            capacity=capacity,
        )
        enroll(group, enrolled)
        # One place declared free in the first group: open, offers go out.
        if low == 12:
            Place.objects.create(group=group, declared_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    page, _groups = kindergarten_page(number=kindergarten.number)
    listed = kindergartens_with_places().get(pk=kindergarten.pk)
    for name in (
        "total",
        "enrolled",
        "vacant",
        "open_places",
        "offered_places",
        "declared",
        "undeclared",
    ):
        assert getattr(page, name) == getattr(listed, name), name
    assert (page.total, page.enrolled, page.open_places) == (35, 31, 1)


def _numbers(**filters):
    return [
        k.number for k in kindergartens_filtered(filters=DirectoryFilter(**filters), today=TODAY)
    ]


def test_born_filter_counts_the_age_at_today_at_month_boundaries():
    one_to_two = GroupFactory(age_from_months=12, age_to_months=24).kindergarten
    two_to_three = GroupFactory(age_from_months=24, age_to_months=36).kindergarten

    turns_two_today = dt.date(2024, 11, 27)
    assert _numbers(born=turns_two_today) == [two_to_three.number]
    turns_two_tomorrow = dt.date(2024, 11, 28)
    assert _numbers(born=turns_two_tomorrow) == [one_to_two.number]


def test_born_filter_skips_full_groups():
    full = GroupFactory(capacity=1)
    enroll(full, 1)
    assert _numbers(born=dt.date(2024, 6, 1)) == []


def test_groups_needing_a_referral_count_only_when_that_specialisation_is_asked_for():
    speech = SpecialisationFactory()
    kindergarten = GroupFactory(
        specialisation=speech, age_from_months=24, age_to_months=84
    ).kindergarten
    kindergarten.specialisations.add(speech)
    assert _numbers(born=dt.date(2022, 6, 1)) == []
    assert _numbers(born=dt.date(2022, 6, 1), specialisation=speech) == [kindergarten.number]


def test_district_language_type_and_search_filters():
    podil = DistrictFactory(slug="podilskyi", name="Подільський")
    a = KindergartenFactory(district=podil, number=7, name="«Казка»", address="вул. Мостицька, 1")
    b = KindergartenFactory(number=8, name="«Веселка»", language="pl", type="kindergarten")
    assert _numbers(district=podil) == [a.number]
    assert _numbers(language="pl") == [b.number]
    assert _numbers(type="kindergarten") == [b.number]
    assert _numbers(search="казка") == [a.number]
    assert _numbers(search="Мостицька") == [a.number]
    assert _numbers(search="№8") == [b.number]
    assert _numbers(search="8") == [b.number]


@pytest.mark.parametrize(
    "search", ["svitlyachok", "Svitliachok 216", "Світлячок", "svitlachok", "СВІТЛЯЧОК"]
)
def test_a_kindergarten_is_found_by_its_name_in_latin_letters(search):
    found = KindergartenFactory(number=216, name="Ясла-садок «Світлячок»", address="вул. Лісова, 3")
    KindergartenFactory(number=217, name="Ясла-садок «Зірочка»", address="вул. Лісова, 5")
    assert _numbers(search=search) == [found.number]


def test_a_number_in_the_search_must_be_exact():
    KindergartenFactory(number=216, name="Ясла-садок «Світлячок»", address="вул. Лісова, 3")
    assert _numbers(search="Svitliachok 21") == []
    assert _numbers(search="Lisova 3") == [216]
