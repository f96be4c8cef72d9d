import pytest
from django.db import connection


@pytest.fixture(autouse=True, scope="session")
def _postgresql_only(django_db_setup, django_db_blocker):
    """Sadok's tests run on PostgreSQL, never on SQLite (SPEC: races, constraints)."""
    with django_db_blocker.unblock():
        assert connection.vendor == "postgresql", "set DATABASE_URL to a PostgreSQL database"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and used TOTP codes live in the cache: no test inherits another's."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def privilege_categories(db):
    """The SPEC's categories, also after a browser test flushed the database."""
    from sadok.applications.privileges import privilege_categories_ensure

    privilege_categories_ensure()


@pytest.fixture(autouse=True)
def _ukrainian():
    """Every test starts in Ukrainian, the language of the service."""
    from django.utils import translation

    with translation.override("uk"):
        yield


_DATABASE_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """After every test that used the database: each child's queue record must
    match its sources (sadok.queue.records.py). Every test of a flow that
    changes a child thereby checks that the engine's view of it stayed true."""
    result = yield
    uses_database = item.get_closest_marker("django_db") or _DATABASE_FIXTURES & set(
        item.fixturenames
    )
    # A test that ended on an expected database error left a transaction to roll back.
    if uses_database and not connection.needs_rollback:
        from sadok.queue.records import queue_records_check

        differ = queue_records_check()
        assert not differ, f"queue records out of date for children {differ}"
    return result


@pytest.fixture(params=["insert", "copy"])
def bulk_paths(request, monkeypatch):
    """Run a test through both write paths of `sadok.bulk`: one INSERT (small
    batches) and PostgreSQL's COPY (the September wave's thousands of rows)."""
    if request.param == "copy":
        monkeypatch.setattr("sadok.bulk.COPY_FROM", 1)
    return request.param
