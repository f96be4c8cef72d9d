"""The public log: committed events appended in order by one appender, chained by
hash, append-only on PostgreSQL, and checked by `verify_log` — which names the
entry that was edited, deleted, inserted, reordered or cut off after a saved head."""

import datetime as dt
import json
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError

from sadok.allocation.chain import GENESIS, Head, chain_check
from sadok.journal.log import log_append, log_head, log_rows
from sadok.journal.models import Event, EventKind, LogEntry
from sadok.journal.services import SYSTEM, Fact, events_append
from tests.factories import GroupFactory, child_of
from tests.factories_accounts import person
from tests.journal.log_events import events_made, log_forge, log_rehash_from, log_starts_now

pytestmark = pytest.mark.django_db
BORN = dt.date(2023, 7, 19)


@pytest.fixture(autouse=True)
def _log_starts_now():
    log_starts_now()


def _verify(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("verify_log", *args, stdout=out)
    return out.getvalue()


def test_the_appender_publishes_each_committed_event_once_in_order():
    events_made(5)
    assert log_append() == 5
    assert log_append() == 0
    events_made(3, start=5)
    assert log_append() == 3
    rows = list(log_rows())
    assert [r["seq"] for r in rows] == list(range(1, 9))
    assert [r["application_number"] for r in rows] == [f"N{i:07d}" for i in range(8)]
    assert rows[0]["prev"] == GENESIS
    assert chain_check(rows) == log_head() == Head(8, rows[-1]["hash"])
    assert "the public log holds: 8 entries" in _verify()


def test_no_child_is_named_in_the_log():
    group = GroupFactory()
    child = child_of(
        person("p@example.com"),
        born=BORN,
        certificate="I-КВ 765432",
        last_name="Заболотна",
        first_name="Ярослава",
        kindergartens=[group.kindergarten],
    )
    events_append(
        facts=[
            Fact(
                kind=EventKind.ALLOCATION,
                reason="places",
                data={"run": 1, "ages": {str(child.pk): 40}, "free": [], "places": []},
            ),
            Fact(kind=EventKind.PRIVILEGE_CLAIMED, data={"what": 1, "category": "disability"}),
        ],
        actor=SYSTEM,
    )
    log_append()
    text = json.dumps(list(log_rows()), ensure_ascii=False)
    for secret in ("Заболотна", "Ярослава", "765432", "19.07.2023", "2023-07-19", "disability"):
        assert secret not in text
    assert '"ages"' not in text
    assert child.application_number in text  # the opaque number is the public key


def test_the_log_refuses_update_delete_and_truncate():
    events_made(2)
    log_append()
    for sql in (
        "UPDATE journal_logentry SET reason = 'x' WHERE seq = 1",
        "DELETE FROM journal_logentry WHERE seq = 2",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            connection.cursor().execute(sql)
    with transaction.atomic():
        cursor = connection.cursor()
        cursor.execute("SET LOCAL sadok.log_flush = 'off'")  # as any session but the tests'
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            cursor.execute("TRUNCATE journal_logentry")
    assert LogEntry.objects.count() == 2


@pytest.mark.parametrize(
    ("tamper", "named"),
    [
        (["UPDATE journal_logentry SET reason = 'forged' WHERE seq = 4"], "entry 4: "),
        (["UPDATE journal_logentry SET data = '{}' WHERE seq = 3"], "entry 3: "),
        (["DELETE FROM journal_logentry WHERE seq = 3"], "entry 3: missing"),
        (  # a forged entry slipped in: everything after it renumbered
            [
                "UPDATE journal_logentry SET seq = seq + 1000 WHERE seq >= 5",
                "UPDATE journal_logentry SET seq = seq - 999 WHERE seq >= 1000",
            ],
            "entry 5: missing",
        ),
        (  # two entries swapped
            [
                "UPDATE journal_logentry SET seq = 1000 WHERE seq = 2",
                "UPDATE journal_logentry SET seq = 2 WHERE seq = 3",
                "UPDATE journal_logentry SET seq = 3 WHERE seq = 1000",
            ],
            "entry 2: does not name",
        ),
    ],
)
def test_verify_log_names_the_entry_tampered_with(tamper, named):
    events_made(6)
    log_append()
    assert "6 entries" in _verify()
    for sql in tamper:
        log_forge(sql)
    with pytest.raises(CommandError, match=named):
        _verify()


def test_an_edit_with_the_hashes_recomputed_still_differs_from_its_event():
    events_made(6)
    log_append()
    log_forge("UPDATE journal_logentry SET reason = 'forged' WHERE seq = 4")
    log_rehash_from(4)
    assert isinstance(chain_check(log_rows()), Head)  # the chain alone holds again...
    with pytest.raises(CommandError, match="entry 4: differs from the event it publishes"):
        _verify()  # ...but not against the events


def test_a_saved_head_catches_a_rewritten_history_and_a_cut_tail():
    events_made(6)
    log_append()
    saved = str(log_head())
    events_made(2, start=6)
    log_append()
    assert "8 entries" in _verify("--head", saved)
    # The events themselves rewritten too, and the chain rehashed: only a saved head
    # tells.
    Event.objects.filter(pk=LogEntry.objects.get(seq=2).event_id).update(reason="forged")
    log_forge("UPDATE journal_logentry SET reason = 'forged' WHERE seq = 2")
    log_rehash_from(2)
    with pytest.raises(CommandError, match="entry 6: differs from the saved head"):
        _verify("--head", saved)
    log_forge("DELETE FROM journal_logentry WHERE seq > 4")
    with pytest.raises(CommandError, match="truncated"):
        _verify("--head", saved)


@pytest.mark.django_db(transaction=True)
def test_the_appender_waits_for_a_transaction_still_open_and_keeps_the_id_order(settings):
    settings.SADOK_LOG_GAP_SECONDS = 0
    events_made(1)
    inserted, finish = threading.Event(), threading.Event()

    def slow_writer():
        try:
            with transaction.atomic():
                events_made(1, start=1)  # its id comes before the next commit's
                inserted.set()
                finish.wait(10)
        finally:
            connection.close()

    writer = threading.Thread(target=slow_writer)
    writer.start()
    assert inserted.wait(10)
    events_made(1, start=2)  # committed while the slow writer is open
    assert log_append() == 1  # the first event only: the gap is the open transaction's
    assert log_append() == 0
    finish.set()
    writer.join()
    assert log_append() == 2
    assert [r["application_number"] for r in log_rows()] == ["N0000000", "N0000001", "N0000002"]


@pytest.mark.django_db(transaction=True)
def test_the_appender_goes_past_a_rolled_back_transactions_ids(settings):
    settings.SADOK_LOG_GAP_SECONDS = 0
    events_made(1)

    def rolled_back():
        with transaction.atomic():
            events_made(2, start=1)
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError):
        rolled_back()
    events_made(1, start=3)
    assert log_append() == 1  # the gap is seen...
    assert log_append() == 1  # ...and, every transaction then having ended, passed
    assert [r["seq"] for r in log_rows()] == [1, 2]
    assert "2 entries" in _verify()


def test_a_deliberate_repair_republishes_the_events_and_says_so():
    events_made(5)
    log_append()
    saved = str(log_head())
    log_forge("UPDATE journal_logentry SET reason = 'broken' WHERE seq = 3")
    with pytest.raises(CommandError, match="entry 3"):
        _verify()
    out = __import__("io").StringIO()
    call_command("log_repair", "3", "--note", "a test's fault", stdout=out)
    assert "head was 5:" in out.getvalue()
    rows = list(log_rows())
    assert [r["seq"] for r in rows] == [1, 2, 3, 4, 5, 6]
    assert rows[-1]["kind"] == "log_repaired"
    assert rows[-1]["data"] == {"from": 3, "replaced": saved}
    assert "6 entries" in _verify()
    # The saved head is still in the chain (the republished entries hash the same).
    assert "6 entries" in _verify("--head", saved)
