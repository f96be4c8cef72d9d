import datetime as dt

import pytest
from django.db import IntegrityError

from sadok.kindergartens.models import Enrollment, Group, Kindergarten
from tests.factories import GroupFactory, KindergartenFactory

pytestmark = pytest.mark.django_db


def test_capacity_cannot_be_negative():
    kindergarten = KindergartenFactory()
    with pytest.raises(IntegrityError):
        Group.objects.create(
            kindergarten=kindergarten,
            name="x",
            kind="nursery",
            age_from_months=24,
            age_to_months=36,
            capacity=-1,
        )


@pytest.mark.parametrize(("age_from", "age_to"), [(36, 24), (24, 24)])
def test_the_age_range_must_be_ordered(age_from, age_to):
    with pytest.raises(IntegrityError, match="group_age_range_ordered"):
        GroupFactory(age_from_months=age_from, age_to_months=age_to)


def test_a_kindergarten_number_is_unique_in_the_city():
    KindergartenFactory(number=123)
    with pytest.raises(IntegrityError):
        KindergartenFactory(number=123)


def test_a_kindergarten_number_is_positive():
    with pytest.raises(IntegrityError, match="kindergarten_number_positive"):
        Kindergarten.objects.create(
            number=0,
            name="x",
            district=KindergartenFactory().district,
            address="a",
            latitude=50.4,
            longitude=30.5,
        )


def test_group_names_are_unique_inside_a_kindergarten():
    group = GroupFactory(name="1 ясельна")
    with pytest.raises(IntegrityError):
        GroupFactory(kindergarten=group.kindergarten, name="1 ясельна")


def test_an_enrollment_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError, match="enrollment_ends_after_start"):
        Enrollment.objects.create(
            group=GroupFactory(), started_on=dt.date(2025, 9, 1), ended_on=dt.date(2025, 8, 1)
        )
