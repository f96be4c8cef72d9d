"""Many rows at once: COPY on PostgreSQL for large batches, one INSERT for small ones."""

import datetime as dt

import pytest

from sadok import bulk
from sadok.notifications.models import Message
from tests.factories_accounts import person

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 27, 10, tzinfo=dt.UTC)
FIELDS = ("user_id", "kind", "subject", "body", "link", "created_at", "event_key")


def _rows(user, keys):
    return [(user.pk, "test", f"тема {k}", "текст", "", NOW, f"event:{k}") for k in keys]


@pytest.mark.usefixtures("bulk_paths")
def test_rows_come_back_with_their_ids_in_order():
    user = person("mama@example.com")
    ids = bulk.rows_insert_with_ids(Message, FIELDS, _rows(user, range(3)))
    assert [Message.objects.get(pk=pk).event_key for pk in ids] == [f"event:{k}" for k in range(3)]


@pytest.mark.usefixtures("bulk_paths")
def test_ignoring_conflicts_skips_rows_already_there_and_repeated_in_the_batch():
    user = person("mama@example.com")
    bulk.rows_insert(Message, FIELDS, _rows(user, [1]), ignore_conflicts=True)
    bulk.rows_insert(Message, FIELDS, _rows(user, [1, 2, 2, 3]), ignore_conflicts=True)
    keys = sorted(Message.objects.values_list("event_key", flat=True))
    assert keys == ["event:1", "event:2", "event:3"]


def test_large_batches_with_conflicts_to_skip_are_copied_through_a_staging_table(monkeypatch):
    monkeypatch.setattr(bulk, "COPY_FROM", 2)
    user = person("mama@example.com")
    insert = bulk.rows_insert(Message, FIELDS, _rows(user, [1]), ignore_conflicts=True)
    copy = bulk.rows_insert(Message, FIELDS, _rows(user, [2, 3]), ignore_conflicts=True)
    assert (insert is None, copy is None) == (False, True)
    assert bulk.rows_insert(Message, FIELDS, _rows(user, [4])) is None  # straight COPY
    assert Message.objects.count() == 4


@pytest.mark.django_db(transaction=True)
def test_copying_with_conflicts_works_outside_a_transaction(monkeypatch):
    """The staging table lives until the commit: the write makes its own transaction."""
    monkeypatch.setattr(bulk, "COPY_FROM", 1)
    user = person("mama@example.com")
    bulk.rows_insert(Message, FIELDS, _rows(user, [1, 2]), ignore_conflicts=True)
    bulk.rows_insert(Message, FIELDS, _rows(user, [2, 3]), ignore_conflicts=True)
    assert Message.objects.count() == 3
