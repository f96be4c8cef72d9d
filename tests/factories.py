"""Factories for the test suite: every test builds exactly the data it talks about."""

import datetime as dt

import factory

from sadok.kindergartens.models import (
    District,
    Enrollment,
    Group,
    GroupKind,
    Kindergarten,
    Specialisation,
)


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"district-{n}")
    name = factory.Sequence(lambda n: f"Район {n}")
    name_en = factory.Sequence(lambda n: f"District {n}")


class SpecialisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Specialisation
        django_get_or_create = ("slug",)

    slug = "speech"
    name = "логопедична"
    name_en = "speech therapy"
    referral = "pmpk"


class KindergartenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Kindergarten

    number = factory.Sequence(lambda n: 100 + n)
    name = factory.Sequence(lambda n: f"Ясла-садок «Тест {n}»")
    district = factory.SubFactory(DistrictFactory)
    address = factory.Sequence(lambda n: f"вул. Тестова, {n}")
    latitude = 50.45
    longitude = 30.52


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    kindergarten = factory.SubFactory(KindergartenFactory)
    name = factory.Sequence(lambda n: f"{n} ясельна")
    kind = GroupKind.NURSERY
    age_from_months = 24
    age_to_months = 36
    capacity = 15


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    group = factory.SubFactory(GroupFactory)
    started_on = dt.date(2025, 9, 1)


def enroll(group: Group, count: int) -> None:
    Enrollment.objects.bulk_create(
        [Enrollment(group=group, started_on=dt.date(2025, 9, 1)) for _ in range(count)]
    )
