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

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """A child enrolled by hand (as before Sadok, or by a test) is held there:
        its queue record is refreshed as a service would."""
        from sadok.offers.door import queue_changes

        with queue_changes() as touched:
            enrollment = super()._create(model_class, *args, **kwargs)
            touched.add(enrollment.child_id)
        return enrollment


def enroll(group: Group, count: int) -> None:
    Enrollment.objects.bulk_create(
        [Enrollment(group=group, started_on=dt.date(2025, 9, 1)) for _ in range(count)]
    )


def child_of(
    user,
    *,
    born=dt.date(2023, 5, 1),
    certificate="I-КВ 100001",
    last_name="Шевченко",
    first_name="Марко",
    registered_at=None,
    kindergartens=(),
):
    """A child registered by `user` through the service, with kindergartens chosen."""
    from sadok.applications import services
    from sadok.applications.certificates import parse_ukrainian
    from sadok.offers import door

    child = services.child_register(
        user=user,
        data=services.NewChild(last_name, first_name, "", born, parse_ukrainian(certificate)),
        registered_at=registered_at,
    )
    for kindergarten in kindergartens:
        door.choice_add(child=child, kindergarten=kindergarten)
    return child


def claim_of(
    child,
    *,
    code=None,
    tier=None,
    confirmed=True,
    valid_until=None,
    submitted_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
):
    """A privilege claim of `child` by its (first) guardian, in the category `code` or
    the first one of `tier`, confirmed unless told otherwise."""
    from sadok.applications.models import PrivilegeCategory
    from sadok.offers.door import queue_changes

    categories = PrivilegeCategory.objects.all()
    category = categories.get(code=code) if code else categories.filter(tier=tier).first()
    with queue_changes() as touched:
        touched.add(child.pk)
        return _claim_create(child, category, confirmed, valid_until, submitted_at)


def _claim_create(child, category, confirmed, valid_until, submitted_at):
    from sadok.applications.models import ClaimStatus, PrivilegeClaim

    return PrivilegeClaim.objects.create(
        child=child,
        category=category,
        document="privileges/x.pdf",
        document_type="application/pdf",
        status=ClaimStatus.CONFIRMED if confirmed else ClaimStatus.PENDING,
        submitted_at=submitted_at,
        submitted_by=child.guardians.first(),
        valid_until=valid_until,
    )


def pdf_bytes(pages: int = 1) -> bytes:
    """A valid PDF of blank A4 pages, as PDFium writes it."""
    import io

    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    for _ in range(pages):
        pdf.new_page(595, 842)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()
