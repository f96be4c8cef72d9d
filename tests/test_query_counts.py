"""No page's query count grows with the rows it shows (no N+1): every route a visitor
reaches by links — the public's, a family's, a head's, a district officer's and the
city administrator's — costs the same number of queries in a small city and in one
with twice the kindergartens and three times the children."""

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve

from sadok.accounts.models import User
from sadok.demo.city import DOMAIN, city_write
from sadok.demo.synthetic import synthetic_city
from sadok.kindergartens.models import Group
from sadok.offers.services import places_declare

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 27, 9, tzinfo=dt.UTC)
SKIP = ("/admin/", "/static/", "/media/", "/accounts/", "/i18n/")
VISITORS = (
    (None, ["/", "/stats/", "/api/districts", "/api/kindergartens", "/api/statistics"]),
    (f"family1@{DOMAIN}", ["/cabinet/"]),
    (f"head1@{DOMAIN}", ["/staff/"]),
    (f"officer-obolonskyi@{DOMAIN}", ["/staff/"]),
    (f"admin@{DOMAIN}", ["/staff/"]),
)
LINK = re.compile(r'href="(/[^"#]*)"')


def _route(path: str) -> str | None:
    try:
        return resolve(path).route
    except Resolver404:
        return None


def _costs(client) -> dict[tuple[str | None, str], int]:
    """Each visitor's routes, reached by links from its home, each with the queries
    of the first page of it (the same page in both cities: the first by number)."""
    costs: dict[tuple[str | None, str], int] = {}
    for who, starts in VISITORS:
        client.logout()
        if who is not None:
            client.force_login(User.objects.get(email=who))
        queue, seen = list(starts), set[str]()
        while queue and len(seen) < 80:
            path = queue.pop(0)
            route = _route(urlsplit(path).path)
            if route is None or (who, route) in costs or path in seen:
                continue
            seen.add(path)
            with CaptureQueriesContext(connection) as queries:
                answer = client.get(path)
            if answer.status_code in (301, 302):  # a home that sends on (/staff/)
                queue.insert(0, answer["Location"])
                continue
            if answer.status_code != 200:
                continue
            costs[(who, route)] = len(queries)
            if "html" in answer.get("Content-Type", ""):
                for href in LINK.findall(answer.content.decode()):
                    if not href.startswith(SKIP) and not href.endswith((".csv", ".pdf")):
                        queue.append(href.replace("&amp;", "&"))
    return costs


def _city(kindergartens: int, children: int) -> None:
    city = synthetic_city(
        kindergartens=kindergartens, applicants=children, places=0, seed=3, at=NOW.date()
    )
    city_write(city, seed=3, password="x")
    for group in Group.objects.order_by("pk")[: kindergartens * 2]:
        places_declare(group=group, count=2, user=None)  # offers to list


@time_machine.travel(NOW, tick=False)
def test_no_page_costs_more_queries_in_a_bigger_city(client):
    small = transaction.savepoint()
    _city(6, 300)
    few = _costs(client)
    transaction.savepoint_rollback(small)
    _city(12, 900)
    many = _costs(client)
    assert len(few) > 40, sorted(few)
    grown = {
        f"{who or 'anyone'} {route}: {few[(who, route)]} → {many[(who, route)]} queries"
        for who, route in few.keys() & many.keys()
        if many[(who, route)] > few[(who, route)]
    }
    assert grown == set(), "\n".join(sorted(grown))
