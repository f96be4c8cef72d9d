"""Records of children that no longer exist go, before 0003 gives the record a real
foreign key to its child. A migration of its own: PostgreSQL cannot alter a table
in the transaction that deleted its rows."""

from django.db import migrations


def orphans_delete(apps, schema_editor):
    QueueRecord = apps.get_model("queue", "QueueRecord")
    Child = apps.get_model("applications", "Child")
    QueueRecord.objects.exclude(child_id__in=Child.objects.values("pk")).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("queue", "0001_initial"),
        ("applications", "0006_queue_records_moved"),
    ]

    operations = [migrations.RunPython(orphans_delete, migrations.RunPython.noop)]
