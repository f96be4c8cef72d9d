"""The open data API: pages, filters, CSV, cache headers, the rate limit, and no
personal data (SPEC.md "Open statistics")."""

import csv
import io
import json

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from sadok.kindergartens.models import GroupKind
from sadok.queue.selectors import standings_of
from tests.factories import DistrictFactory, GroupFactory, KindergartenFactory
from tests.opendata.helpers import TODAY, privileged, waiting

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("privilege_categories")]


@pytest.fixture
def city():
    north, south = DistrictFactory(slug="north"), DistrictFactory(slug="south")
    kindergartens = [KindergartenFactory(district=north), KindergartenFactory(district=south)]
    for kindergarten in kindergartens:
        GroupFactory(kindergarten=kindergarten, kind=GroupKind.NURSERY)
        GroupFactory(
            kindergarten=kindergarten, kind=GroupKind.OLDER, age_from_months=60, age_to_months=72
        )
    return kindergartens


def test_the_directory_pages_and_filters(client, city):
    page = client.get("/api/kindergartens", {"limit": 1}).json()
    assert page["count"] == 2
    assert page["limit"] == 1
    assert [k["number"] for k in page["items"]] == [city[0].number]
    second = client.get("/api/kindergartens", {"limit": 1, "offset": 1}).json()
    assert [k["number"] for k in second["items"]] == [city[1].number]
    south = client.get("/api/kindergartens", {"district": "south"}).json()
    assert [k["number"] for k in south["items"]] == [city[1].number]
    item = south["items"][0]
    assert set(item["coordinates"]) == {"lat", "lng"}
    assert {g["kind"] for g in item["groups"]} == {"nursery", "older"}
    older = client.get("/api/groups", {"kind": "older", "kindergarten": city[0].number}).json()
    assert older["count"] == 1
    assert older["items"][0]["age_from_months"] == 60
    assert client.get("/api/groups", {"kind": "nonsense"}).status_code == 422


def test_a_validation_error_names_the_parameter(client, city):
    response = client.get("/api/groups", {"limit": 0})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "limit"


def test_csv_is_exactly_the_rows_of_the_json_page(client, city):
    query = {"limit": 3, "offset": 1}
    page = client.get("/api/groups", query).json()
    response = client.get("/api/groups", {**query, "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [int(r["id"]) for r in rows] == [g["id"] for g in page["items"]]
    assert rows[0]["kind"] == page["items"][0]["kind"]
    nested = client.get("/api/kindergartens", {"format": "csv"}).content.decode()
    first = next(csv.DictReader(io.StringIO(nested)))
    assert float(first["coordinates_lat"]) == city[0].latitude
    assert len(json.loads(first["groups"])) == 2


def test_answers_may_be_cached_and_revalidated(client, city):
    with override_settings(SADOK_API_CACHE_SECONDS=77):
        response = client.get("/api/districts")
        assert "public" in response["Cache-Control"]
        assert "max-age=77" in response["Cache-Control"]
        again = client.get("/api/districts", headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304
    assert again["ETag"] == response["ETag"]


@override_settings(SADOK_API_RATE="3/min")
def test_past_the_rate_a_client_waits_and_is_told_how_long(client, city):
    for _ in range(3):
        assert client.get("/api/districts").status_code == 200
    refused = client.get("/api/groups")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert refused.json()["limit"] == "3/min"
    assert refused.json()["retry_after"] == int(refused["Retry-After"])
    # Another client address has its own allowance.
    assert client.get("/api/districts", REMOTE_ADDR="10.0.0.9").status_code == 200


def test_every_operation_documents_429_422_and_its_errors(client):
    schema = client.get("/api/openapi.json").json()
    for path, operations in schema["paths"].items():
        for operation in operations.values():
            responses = operation["responses"]
            assert {"200", "422", "429"} <= set(responses), path
            assert "Retry-After" in responses["429"]["headers"], path


@time_machine.travel(TODAY, tick=False)
def test_the_queue_and_a_numbers_places_match_the_cabinet(client):
    group = GroupFactory(age_from_months=24, age_to_months=36)
    children = [waiting(n, kindergarten=group.kindergarten) for n in range(1, 5)]
    privileged(children[2])
    page = client.get(f"/api/groups/{group.pk}/queue").json()
    assert page["count"] == 4
    for child in children:
        (standing,) = standings_of(child=child, today=TODAY.date())
        row = next(r for r in page["items"] if r["application_number"] == child.application_number)
        assert row["position"] == standing.position_now.place
        assert row["birth_year"] == child.born.year
        found = client.get(f"/api/queue/{child.application_number.lower()}").json()
        assert found["positions"] == [
            {
                "kindergarten": group.kindergarten.number,
                "group_id": group.pk,
                "group": group.name,
                "position": standing.position_now.place,
                "size": 4,
            }
        ]
    assert page["items"][0]["tier_code"] != "none"
    second = client.get(f"/api/groups/{group.pk}/queue", {"limit": 2, "offset": 2}).json()
    assert [r["position"] for r in second["items"]] == [3, 4]


@time_machine.travel(TODAY, tick=False)
def test_an_unknown_number_and_a_number_in_no_queue_get_the_same_answer(client):
    group = GroupFactory(age_from_months=48, age_to_months=60)  # too old for the children
    child = waiting(1, kindergarten=group.kindergarten)
    unknown = client.get("/api/queue/ZZZZZZZZ")
    queued_nowhere = client.get(f"/api/queue/{child.application_number}")
    assert unknown.status_code == queued_nowhere.status_code == 404
    assert unknown.content == queued_nowhere.content


@time_machine.travel(TODAY, tick=False)
def test_no_personal_data_in_any_answer(client):
    group = GroupFactory(age_from_months=24, age_to_months=36)
    child = waiting(7, kindergarten=group.kindergarten, last_name="Квітковська", first_name="Ярина")
    born = child.born
    secrets = ("Квітковська", "Ярина", "000007", f"{born:%d.%m.%Y}", born.isoformat())
    guardian = child.guardians.get()
    urls = [
        "/api/districts",
        "/api/kindergartens",
        "/api/kindergartens?format=csv",
        "/api/groups",
        f"/api/groups/{group.pk}/queue",
        f"/api/groups/{group.pk}/queue?format=csv",
        f"/api/queue/{child.application_number}",
    ]
    for url in urls:
        body = client.get(url).content.decode()
        for secret in (*secrets, guardian.email):
            assert secret not in body, (url, secret)
    assert child.application_number in client.get(urls[4]).content.decode()


@time_machine.travel(TODAY, tick=False)
def test_the_lists_queries_do_not_grow_with_rows(client):
    counts = []
    for size, first in ((1, 1), (4, 10)):
        district = DistrictFactory(slug=f"d{size}")
        group = None
        for _ in range(size):
            kindergarten = KindergartenFactory(district=district)
            group = GroupFactory(kindergarten=kindergarten)
            GroupFactory(kindergarten=kindergarten, age_from_months=48, age_to_months=60)
        for n in range(size * 2):
            waiting(first + n, kindergarten=group.kindergarten)
        queries = []
        for url in (
            f"/api/kindergartens?district={district.slug}",
            f"/api/groups?district={district.slug}",
            f"/api/groups/{group.pk}/queue",
        ):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            queries.append(len(captured))
        counts.append(queries)
    assert counts[0] == counts[1]


def test_control_characters_get_a_json_400(client):
    response = client.get("/api/groups", {"district": "a\x00b"})
    assert response.status_code == 400
    assert "detail" in response.json()
