"""The initial privilege categories (sadok/applications/privileges.py)."""

from django.db import migrations

from sadok.applications.privileges import CATEGORIES, privilege_categories_ensure


def load(apps, schema_editor):
    privilege_categories_ensure(apps.get_model("applications", "PrivilegeCategory"))


def unload(apps, schema_editor):
    apps.get_model("applications", "PrivilegeCategory").objects.filter(
        code__in=[c[0] for c in CATEGORIES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("applications", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
