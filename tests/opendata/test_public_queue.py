"""The anonymised queue of a group: the public page a family finds itself in by its
application number (SPEC.md "Open statistics")."""

import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from sadok.queue.selectors import standings_of
from tests.factories import GroupFactory
from tests.opendata.helpers import TODAY, privileged, waiting

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("privilege_categories")]


def _url(group):
    return reverse(
        "opendata:queue", kwargs={"number": group.kindergarten.number, "group_id": group.pk}
    )


def _rows(html):
    """(position, number) of each row of the queue table."""
    return [
        (int(p), n)
        for p, n in re.findall(r"<tr[^>]*>\s*<td>(\d+)</td>\s*<td><code>(\w+)</code>", html)
    ]


@time_machine.travel(TODAY, tick=False)
def test_the_queue_is_in_the_rules_order_with_the_cabinets_positions(client):
    group = GroupFactory(age_from_months=24, age_to_months=36)
    kindergarten = group.kindergarten
    children = [waiting(n, kindergarten=kindergarten, days_ago=100 - n) for n in range(1, 6)]
    privileged(children[3])  # out of turn: first, though registered late
    html = client.get(_url(group)).content.decode()
    rows = _rows(html)
    assert rows[0][1] == children[3].application_number
    for child in children:
        (standing,) = standings_of(child=child, today=TODAY.date())
        assert (standing.position_now.place, child.application_number) in rows
    assert len(rows) == 5


@time_machine.travel(TODAY, tick=False)
@override_settings(SADOK_QUEUE_PAGE_SIZE=2)
def test_a_family_finds_its_number_on_its_page_highlighted(client):
    group = GroupFactory(age_from_months=24, age_to_months=36)
    children = [waiting(n, kindergarten=group.kindergarten) for n in range(1, 6)]
    me = children[4]  # fifth: page 3 of 2 rows a page
    response = client.get(_url(group), {"number": me.application_number.lower()})
    assert response.status_code == 302
    assert response["Location"].endswith(f"?number={me.application_number}&page=3#mine")
    html = client.get(response["Location"]).content.decode()
    assert re.search(rf'<tr id="mine"[^>]*>\s*<td>5</td>\s*<td><code>{me.application_number}', html)
    (standing,) = standings_of(child=me, today=TODAY.date())
    assert standing.position_now.place == 5


@time_machine.travel(TODAY, tick=False)
def test_an_unknown_number_says_so_and_reveals_nothing(client):
    group = GroupFactory(age_from_months=24, age_to_months=36)
    other = GroupFactory(age_from_months=48, age_to_months=60, kindergarten=group.kindergarten)
    child = waiting(1, kindergarten=group.kindergarten)
    unknown = client.get(_url(group), {"number": "ZZZZZZZZ"}).content.decode()
    elsewhere = client.get(_url(other), {"number": child.application_number}).content.decode()
    for html in (unknown, elsewhere):
        assert 'id="not-found"' in html
        assert 'id="mine"' not in html


@time_machine.travel(TODAY, tick=False)
def test_no_name_certificate_or_birth_date_is_shown(client):
    group = GroupFactory(age_from_months=24, age_to_months=36)
    child = waiting(1, kindergarten=group.kindergarten, last_name="Квітковська", first_name="Ярина")
    html = client.get(_url(group)).content.decode()
    assert child.application_number in html
    born = child.born
    for secret in ("Квітковська", "Ярина", "000001", f"{born:%d.%m.%Y}", born.isoformat()):
        assert secret not in html
    assert "2024" in html  # the birth year only


@time_machine.travel(TODAY, tick=False)
def test_the_kindergarten_page_links_each_groups_queue_with_its_length(client):
    group = GroupFactory(age_from_months=24, age_to_months=36)
    for n in range(1, 4):
        waiting(n, kindergarten=group.kindergarten)
    html = client.get(reverse("kindergartens:detail", args=[group.kindergarten.number]))
    assert f'href="{_url(group)}"' in html.content.decode()
    assert "у черзі: 3" in html.content.decode()


@time_machine.travel(TODAY, tick=False)
def test_the_pages_queries_do_not_grow_with_the_queue(client):
    counts = []
    for size, first in ((2, 1), (8, 10)):
        group = GroupFactory(age_from_months=24, age_to_months=36)
        children = [waiting(first + n, kindergarten=group.kindergarten) for n in range(size)]
        with CaptureQueriesContext(connection) as plain:
            assert client.get(_url(group)).status_code == 200
        found = f"{_url(group)}?number={children[-1].application_number}&page=1"
        with CaptureQueriesContext(connection) as finding:
            assert client.get(found).status_code == 200
        counts.append((len(plain), len(finding)))
    assert counts[0] == counts[1]


def test_a_missing_group_or_another_kindergartens_group_is_404(client):
    group = GroupFactory()
    other = GroupFactory()
    assert client.get(_url(group).replace(f"/{group.pk}/", "/999999/")).status_code == 404
    wrong = reverse(
        "opendata:queue", kwargs={"number": other.kindergarten.number, "group_id": group.pk}
    )
    assert client.get(wrong).status_code == 404
