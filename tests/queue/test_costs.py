"""What the parent's most common steps cost the database: a first kindergarten
(the moment the child enters the queue) refreshes its record once, and the child's
page counts its positions without loading any queue."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sadok.offers import door
from sadok.queue import records
from tests.factories import GroupFactory, KindergartenFactory, child_of
from tests.factories_accounts import verified_parent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("privilege_categories")]
NOW = dt.datetime(2026, 12, 1, 10, tzinfo=dt.UTC)


@pytest.fixture
def refreshes(monkeypatch):
    """How many times the records were rewritten."""
    calls = []
    rewrite = records._rewrite

    def counted(ids):
        calls.append(ids)
        return rewrite(ids)

    monkeypatch.setattr(records, "_rewrite", counted)
    return calls


@time_machine.travel(NOW, tick=False)
def test_a_first_choice_refreshes_the_record_once(refreshes):
    group = GroupFactory()
    child = child_of(verified_parent("mama@example.com", "+380501112233"))
    with CaptureQueriesContext(connection) as queries:
        door.choice_add(child=child, kindergarten=group.kindergarten)
    assert refreshes == [[child.pk]]
    statements = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    # The choice (5: lock, existing, last rank, insert, registration date), one
    # refresh (13: lock, the child and its seven sources, the record as it was, the
    # keys' delete, the stale records' look, the record's upsert), its event's
    # application number (1) and the look for an open place the child now fits (1).
    # The keys and the event go by COPY, which Django does not count here (2 more).
    # It was 34, with two refreshes, no event and no such look.
    assert len(statements) == 20, "\n".join(statements)


@time_machine.travel(NOW, tick=False)
def test_the_child_page_reads_no_queue_whatever_its_length(client):
    """The page's queries do not grow with the queues: positions are counted by the
    database, now and on 1 September, for every chosen kindergarten at once."""
    kindergartens = [KindergartenFactory() for _ in range(3)]
    for k in kindergartens:
        GroupFactory(kindergarten=k, age_from_months=24, age_to_months=36)
        GroupFactory(kindergarten=k, age_from_months=36, age_to_months=48)
    parent = verified_parent("mama@example.com", "+380501112233")
    me = child_of(parent, born=dt.date(2024, 6, 1), kindergartens=kindergartens)
    client.force_login(parent)

    def page_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("cabinet:child", args=[me.pk])).status_code == 200
        return len(queries)

    alone = page_queries()
    for n in range(30):
        other = verified_parent(f"p{n}@example.com", f"+3805011100{n:02d}")
        child_of(
            other,
            certificate=f"I-КВ {200000 + n}",
            born=dt.date(2024, 1, 1) + dt.timedelta(days=n * 7),
            kindergartens=kindergartens,
        )
    # 11 for the page (its referrals among them); 1 for the header's workspace
    # switcher (the person's roles); 3 for where the family stands (its offers, the
    # queue record, a pending claim: sadok/cabinet/situations.py); 5 for what changed
    # since the last visit and the expected wait (the last look and its upsert, the
    # child's record, the events, the groups' offers: sadok/queue/why.py).
    assert page_queries() == alone == 20
