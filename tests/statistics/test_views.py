"""The public statistics page and its downloads: what anyone sees, with no login."""

import csv
import datetime as dt
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sadok.kindergartens.models import Group
from sadok.offers.room import undeclared_room_mark
from sadok.statistics.tables import statistics_slugs, statistics_table
from tests.factories import GroupFactory, KindergartenFactory, child_of, enroll
from tests.factories_accounts import verified_parent
from tests.statistics.conftest import NOW, SECRET, TODAY

pytestmark = pytest.mark.django_db


def test_the_page_shows_every_table_with_its_downloads(client, city):
    response = client.get(reverse("statistics:index"))
    html = response.content.decode()
    assert response.status_code == 200
    for slug in statistics_slugs():
        assert f'id="{slug}"' in html
        assert f'href="/stats/{slug}.csv"' in html
        assert f'href="/stats/{slug}.json"' in html
    assert html.count('<th scope="col"') > 20
    assert "<caption>Діти в черзі за районами</caption>" in html
    # Each chart's numbers travel as JSON (no inline script: CSP), next to its canvas.
    assert 'data-chart="queue-by-district-chart"' in html
    assert 'id="queue-by-district-chart" type="application/json"' in html
    assert "vendor/chartjs/chart.umd.min.js" in html


def test_every_page_links_to_the_statistics(client, city):
    html = client.get(reverse("kindergartens:directory")).content.decode()
    assert 'href="/stats/"' in html


@pytest.mark.parametrize("slug", statistics_slugs())
def test_csv_and_json_hold_exactly_the_table(client, city, slug):
    table = statistics_table(slug, today=TODAY)
    response = client.get(reverse("statistics:json", kwargs={"slug": slug}))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="sadok-{slug}-{TODAY.isoformat()}.json"'
    )
    assert "max-age=300" in response["Cache-Control"]
    document = json.loads(response.content)
    assert [c["key"] for c in document["columns"]] == [c.key for c in table.columns]
    assert document["rows"] == table.records()

    response = client.get(reverse("statistics:csv", kwargs={"slug": slug}))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].endswith(f'-{TODAY.isoformat()}.csv"')
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0] == [str(c.label) for c in table.columns]
    assert lines[1:] == [
        ["" if v is None else str(v) for v in record.values()] for record in table.records()
    ]


def test_a_download_narrowed_to_a_district_says_so(client, city):
    response = client.get("/stats/kindergartens.json", {"district": "podil"})
    document = json.loads(response.content)
    assert document["filters"] == {"district": "podil"}
    assert [row["number"] for row in document["rows"]] == [502]
    assert "-podil-" in response["Content-Disposition"]


def test_an_unknown_statistic_is_not_found(client, city):
    assert client.get("/stats/nothing.csv").status_code == 404


def _everything_public(client):
    pages = [client.get(reverse("statistics:index")).content.decode()]
    pages.append(client.get("/stats/", {"district": "obolon"}).content.decode())
    for slug in statistics_slugs():
        for kind in ("csv", "json"):
            pages.append(client.get(f"/stats/{slug}.{kind}").content.decode("utf-8-sig"))
    for number in (501, 502):
        pages.append(client.get(f"/kindergartens/{number}/").content.decode())
    pages.append(client.get("/").content.decode())
    return "\n".join(pages)


def test_no_personal_data_of_a_child_is_published(client, city):
    published = _everything_public(client)
    born = SECRET["born"]
    for secret in (
        SECRET["last_name"],
        SECRET["first_name"],
        SECRET["patronymic"],
        SECRET["certificate"],
        "654321",
        born.strftime("%d.%m.%Y"),
        born.isoformat(),
        born.strftime("%-d.%m.%Y"),
        "Марко",
        "Ірина",
        "Богдан",
    ):
        assert secret not in published, secret
    solomiia = city["children"][3]
    assert solomiia.application_number not in published
    # Json escapes non-ASCII only if asked to; the names would show either way.
    assert json.dumps(SECRET["last_name"])[1:-1] not in published


def _queries(client):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("statistics:index")).status_code == 200
    return len(captured)


def test_the_page_costs_the_same_queries_for_a_bigger_city(client, city):
    small = _queries(client)
    district = city["districts"][0]
    for n in range(12):
        kindergarten = KindergartenFactory(number=600 + n, district=district)
        group = GroupFactory(kindergarten=kindergarten, capacity=10)
        enroll(group, 3)
        child_of(
            verified_parent(f"big{n}@example.com", f"+380503{n:06d}"),
            born=dt.date(2022 + n % 3, 1 + n % 12, 2),
            certificate=f"I-КВ {700000 + n}",
            last_name=("Мельник", "Кравець", "Олійник", "Лисенко")[n % 4],
            first_name=("Тарас", "Оксана", "Дмитро")[n % 3],
            registered_at=NOW - dt.timedelta(days=n),
            kindergartens=[kindergarten],
        )
    assert _queries(client) == small
    assert small <= 15


def test_room_left_undeclared_is_listed_after_the_setting_days(client, city, settings):
    nursery = city["groups"][0]
    # The nightly run found the room a month ago.
    undeclared_room_mark(today=TODAY - dt.timedelta(days=30))
    assert Group.objects.get(pk=nursery.pk).undeclared_room_since == TODAY - dt.timedelta(days=30)
    settings.SADOK_UNDECLARED_ROOM_DAYS = 30
    rows = statistics_table("undeclared-room", today=TODAY).rows
    assert rows == [(501, "Ясла-садок «Вербиченька»", "Оболонський", 1, TODAY - dt.timedelta(30))]
    html = client.get("/stats/").content.decode()
    assert "довше 30 днів" in html
    settings.SADOK_UNDECLARED_ROOM_DAYS = 31
    assert statistics_table("undeclared-room", today=TODAY).rows == []


def test_the_nightly_run_notes_and_clears_undeclared_room(city):
    nursery, younger = city["groups"]
    assert undeclared_room_mark(today=TODAY) == (1, 0)
    assert undeclared_room_mark(today=TODAY + dt.timedelta(days=1)) == (0, 0)
    assert Group.objects.get(pk=nursery.pk).undeclared_room_since == TODAY
    assert Group.objects.get(pk=younger.pk).undeclared_room_since is None
    # The head declares the last place: nothing is left undeclared.
    from sadok.offers.services import places_declare

    places_declare(group=nursery, count=1, user=None)
    assert undeclared_room_mark(today=TODAY + dt.timedelta(days=2)) == (0, 1)
    assert Group.objects.get(pk=nursery.pk).undeclared_room_since is None


def test_the_kindergarten_page_shows_what_a_parent_can_act_on(client, city):
    html = client.get("/kindergartens/501/").content.decode()
    assert '<span class="none">вільних місць немає</span>' in html
    assert "запропоновано дітям, чекають відповіді: 1" in html
    assert '<span class="undeclared">місць за нормою, не оголошених керівником: 1</span>' in html
    assert "всього місць: 5, дітей відвідує: 3" in html
    # A free declared place is green; zero never is.
    assert 'class="free"' not in html
    nursery = city["groups"][0]
    from sadok.offers.services import places_declare

    places_declare(group=nursery, count=1, user=None)  # nobody eligible left: it stays open
    html = client.get("/kindergartens/501/").content.decode()
    assert '<span class="free">вільних місць: 1</span>' in html
    assert "місць за нормою, не оголошених керівником" not in html
    directory = client.get("/").content.decode()
    assert '<span class="free">вільних місць: 1</span>' in directory
    assert '"open": 1' in directory


def test_the_map_markers_carry_the_same_figures(client, city):
    html = client.get("/kindergartens/502/").content.decode()
    assert '"open": 0, "offered": 0, "undeclared": 0, "total": 4' in html


def test_the_page_shows_the_public_logs_head(client, city):
    from sadok.journal.log import log_append, log_head

    log_append()
    head = log_head()
    page = client.get(reverse("statistics:index")).content.decode()
    assert str(head) in page
    assert "/api/log/head" in page
