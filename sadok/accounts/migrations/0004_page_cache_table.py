"""The table of the whole public pages kept for every server process (the "pages"
cache of settings.CACHES, `sadok/caching.py`): `createcachetable` makes the tables
of the database caches that are missing."""

from django.core.management import call_command
from django.db import migrations


def page_cache_table_create(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_cache_table"),
    ]

    operations = [migrations.RunPython(page_cache_table_create, migrations.RunPython.noop)]
