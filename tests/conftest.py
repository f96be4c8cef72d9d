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
