import datetime as dt

import pytest
import time_machine

from sadok.applications.models import Child
from sadok.kindergartens.models import GroupKind
from sadok.offers.lifecycle import documents_confirm, offer_accept, offer_decline
from sadok.offers.models import Offer
from sadok.offers.services import places_declare
from tests.factories import DistrictFactory, GroupFactory, KindergartenFactory, child_of, claim_of
from tests.factories_accounts import verified_parent

NOW = dt.datetime(2026, 11, 27, 10, tzinfo=dt.UTC)  # noon in Kyiv
TODAY = dt.date(2026, 11, 27)

# The one child whose personal data must never show: distinctive enough to search for.
SECRET = {
    "last_name": "Ґудзь-Вишневецька",
    "first_name": "Соломія",
    "patronymic": "Северинівна",
    "certificate": "I-КВ 654321",
    "born": dt.date(2024, 8, 1),
}


@pytest.fixture
def now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


def _child(n, *, born, days_ago, kindergartens, **names):
    return child_of(
        verified_parent(f"stats{n}@example.com", f"+380502{n:06d}"),
        born=born,
        certificate=names.pop("certificate", f"I-КВ {n:06d}"),
        registered_at=NOW - dt.timedelta(days=days_ago),
        kindergartens=kindergartens,
        **names,
    )


@pytest.fixture
def city(now, privilege_categories):
    """Two districts, a kindergarten in each, four children:

    - Оболонь, № 501: a 2-3 years group of 5, 2 attending; the head declares 2 places.
    - Поділ, № 502: a 3-4 years group of 4, full.
    - Марко (born 2024-06, registered 100 days ago) chooses 501; Ірина (2024-07, 50
      days) chooses 501 and 502; Богдан (2023-03, 30 days, out of turn) chooses 502;
      Соломія (2024-08, 10 days) chooses 501.
    - Both places go to Марко and Ірина; Марко accepts and is enrolled, Ірина
      declines and her place goes to Соломія.
    """
    obolon = DistrictFactory(slug="obolon", name="Оболонський", name_en="Obolonskyi")
    podil = DistrictFactory(slug="podil", name="Подільський", name_en="Podilskyi")
    k501 = KindergartenFactory(number=501, district=obolon, name="Ясла-садок «Вербиченька»")
    k502 = KindergartenFactory(number=502, district=podil, name="Ясла-садок «Барвінок»")
    nursery = GroupFactory(kindergarten=k501, capacity=5, kind=GroupKind.NURSERY)
    younger = GroupFactory(
        kindergarten=k502,
        capacity=4,
        kind=GroupKind.YOUNGER,
        age_from_months=36,
        age_to_months=48,
    )
    from tests.factories import enroll

    enroll(nursery, 2)
    enroll(younger, 4)
    marko = _child(1, born=dt.date(2024, 6, 1), days_ago=100, kindergartens=[k501])
    iryna = _child(
        2,
        born=dt.date(2024, 7, 1),
        days_ago=50,
        kindergartens=[k501, k502],
        last_name="Бондар",
        first_name="Ірина",
    )
    bohdan = _child(
        3,
        born=dt.date(2023, 3, 1),
        days_ago=30,
        kindergartens=[k502],
        last_name="Ткачук",
        first_name="Богдан",
    )
    claim_of(bohdan, tier=1)
    solomiia = _child(
        4,
        born=SECRET["born"],
        days_ago=10,
        kindergartens=[k501],
        last_name=SECRET["last_name"],
        first_name=SECRET["first_name"],
        certificate=SECRET["certificate"],
    )
    Child.objects.filter(pk=solomiia.pk).update(patronymic=SECRET["patronymic"])

    places_declare(group=nursery, count=2, user=None)
    marko_offer = Offer.objects.get(child=marko)
    offer_accept(offer=marko_offer, user=marko.guardians.first())
    marko_offer.refresh_from_db()
    documents_confirm(offer=marko_offer, user=None)
    offer_decline(offer=Offer.objects.get(child=iryna), user=iryna.guardians.first())
    return {
        "districts": (obolon, podil),
        "kindergartens": (k501, k502),
        "groups": (nursery, younger),
        "children": (marko, iryna, bohdan, solomiia),
    }
