"""The open statistics' numbers on a small city built by hand (tests/statistics/conftest.py)."""

import datetime as dt
import statistics

import pytest

from sadok.offers.models import Offer, OfferStatus
from sadok.statistics.outcomes import quartiles
from sadok.statistics.tables import statistics_table, statistics_tables
from tests.statistics.conftest import TODAY

pytestmark = pytest.mark.django_db


def _rows(slug, **kwargs):
    return statistics_table(slug, today=TODAY, **kwargs).rows


def test_the_offers_went_as_a_family_would_see_them(city):
    marko, iryna, _bohdan, solomiia = city["children"]
    assert dict(Offer.objects.values_list("child", "status")) == {
        marko.pk: OfferStatus.ENROLLED,
        iryna.pk: OfferStatus.DECLINED,
        solomiia.pk: OfferStatus.OFFERED,
    }


def test_the_queue_counts_the_children_who_still_wait(city):
    # Марко has his place (no longer waits); Ірина declined № 501 and waits for № 502.
    assert _rows("queue-by-district") == [("Оболонський", 1), ("Подільський", 2)]
    assert _rows("queue-by-birth-year") == [("2023", 1), ("2024", 2)]
    assert _rows("queue-by-tier") == [
        ("позачергово", 1),
        ("першочергово", 0),
        ("забезпечення влаштування", 0),
        ("без пільги", 2),
    ]


def test_a_privilege_whose_document_ended_no_longer_counts(city):
    from sadok.applications.models import PrivilegeClaim

    PrivilegeClaim.objects.update(valid_until=dt.date(2026, 12, 31))
    from sadok.offers.door import queue_changes

    with queue_changes() as touched:
        touched.add(city["children"][2].pk)
    assert _rows("queue-by-tier")[0] == ("позачергово", 1)
    rows = statistics_table("queue-by-tier", today=dt.date(2027, 1, 1)).rows
    assert rows[0] == ("позачергово", 0)
    assert rows[-1] == ("без пільги", 3)


def test_places_split_into_what_a_parent_can_act_on(city):
    # № 501: 5 places, Марко enrolled (3 attend), Соломія's offer (1), 1 not declared.
    columns = [c.key for c in statistics_table("places-by-district", today=TODAY).columns]
    assert columns == [
        "district",
        "groups",
        "capacity",
        "enrolled",
        "open_places",
        "offered_places",
        "undeclared",
    ]
    assert _rows("places-by-district") == [
        ("Оболонський", 1, 5, 3, 0, 1, 1),
        ("Подільський", 1, 4, 4, 0, 0, 0),
    ]
    assert _rows("places-by-group-kind", district="podil") == [("молодша", 1, 4, 4, 0, 0, 0)]
    assert _rows("kindergartens") == [
        (501, "Ясла-садок «Вербиченька»", "Оболонський", 1, 5, 3, 0, 1, 1),
        (502, "Ясла-садок «Барвінок»", "Подільський", 2, 4, 4, 0, 0, 0),
    ]
    assert [r[0] for r in _rows("kindergartens", district="obolon")] == [501]


def test_offers_by_month_count_the_journal(city):
    # Two offers, and Ірина's declined place re-offered to Соломія.
    assert _rows("offers-by-month") == [("2026-11", 3, 1, 1, 0, 1)]


def test_offers_by_month_fill_the_months_without_events(city):
    rows = statistics_table("offers-by-month", today=dt.date(2027, 2, 3)).rows
    assert [r[0] for r in rows] == ["2026-11", "2026-12", "2027-01", "2027-02"]
    assert rows[1:] == [(m, 0, 0, 0, 0, 0) for m in ("2026-12", "2027-01", "2027-02")]


def test_the_wait_to_a_first_offer_has_its_median_and_quartiles(city):
    # First offers after 100 (Марко), 50 (Ірина) and 10 (Соломія) days.
    assert _rows("wait-to-offer") == [("Оболонський", "від 2 до 3 років", 3, 30.0, 50.0, 75.0)]


@pytest.mark.parametrize(
    "values",
    [[10, 50, 100], [1], [3, 3, 3, 7], [0, 5, 5, 9, 12, 40], list(range(17))],
)
def test_quartiles_interpolate_as_percentile_cont(values):
    histogram = [(v, values.count(v)) for v in set(values)]
    expected = (
        statistics.quantiles(values, n=4, method="inclusive")
        if len(values) > 1
        else [values[0]] * 3
    )
    assert quartiles(histogram) == pytest.approx(tuple(expected))


def test_postgresql_percentile_cont_agrees(city):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (ORDER BY v) "
            "FROM unnest(ARRAY[0, 5, 5, 9, 12, 40]) v"
        )
        (expected,) = cursor.fetchone()
    assert quartiles([(0, 1), (5, 2), (9, 1), (12, 1), (40, 1)]) == pytest.approx(tuple(expected))


def test_every_table_has_rows_as_wide_as_its_columns(city):
    for table in statistics_tables(today=TODAY):
        assert all(len(row) == len(table.columns) for row in table.rows), table.slug
