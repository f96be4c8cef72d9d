import pytest
from django.core.management import call_command
from django.db.models import Count

from sadok.kindergartens.demo import DISTRICTS
from sadok.kindergartens.models import District, Enrollment, Group, Kindergarten, Specialisation
from sadok.kindergartens.selectors import kindergartens_with_places

pytestmark = pytest.mark.django_db


def _snapshot():
    return list(
        Kindergarten.objects.order_by("number").values_list(
            "number", "name", "address", "latitude", "longitude"
        )
    )


def test_the_demo_city_is_kyiv_sized_realistic_and_deterministic():
    call_command("load_demo_city")
    assert District.objects.count() == 10
    assert Kindergarten.objects.count() >= 60
    groups = Kindergarten.objects.annotate(n=Count("groups")).values_list("n", flat=True)
    assert min(groups) >= 3
    assert max(groups) <= 8
    for demo in DISTRICTS:
        for k in Kindergarten.objects.filter(district__slug=demo.slug):
            assert abs(k.latitude - demo.centre[0]) <= demo.spread[0]
            assert abs(k.longitude - demo.centre[1]) <= demo.spread[1]
    assert all(g.capacity <= 20 for g in Group.objects.all())
    assert any(k.vacant > 0 for k in kindergartens_with_places())
    first = _snapshot()

    call_command("load_demo_city")  # a second run changes nothing
    assert _snapshot() == first

    for model in (Enrollment, Group, Kindergarten, District, Specialisation):
        model.objects.all().delete()
    call_command("load_demo_city")
    assert _snapshot() == first
