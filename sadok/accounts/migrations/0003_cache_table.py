"""The database cache's table (settings.CACHES): the login limits count there."""

from django.core.management import call_command
from django.db import migrations


def cache_table_create(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_user_language_user_sms_enabled"),
    ]

    operations = [migrations.RunPython(cache_table_create, migrations.RunPython.noop)]
