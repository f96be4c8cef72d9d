"""The table of the whole public pages kept for every server process (the "pages"
cache of settings.CACHES, `sadok/caching.py`): 0003's `createcachetable` again,
which makes the tables of the database caches that are missing."""

from importlib import import_module

from django.db import migrations

cache_table = import_module("sadok.accounts.migrations.0003_cache_table")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_cache_table"),
    ]

    operations = [
        migrations.RunPython(cache_table.cache_table_create, migrations.RunPython.noop)
    ]
