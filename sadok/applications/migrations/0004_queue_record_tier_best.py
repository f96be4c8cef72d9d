from django.db import migrations, models


def tier_best_fill(apps, schema_editor):
    """Records written before the column: their best tier, from their own lists."""
    QueueRecord = apps.get_model("applications", "QueueRecord")
    changed = []
    for record in QueueRecord.objects.exclude(lists__privileges=[]).iterator():
        tiers = [tier for tier, _until in record.lists.get("privileges", [])]
        if tiers:
            record.tier_best = min(tiers)
            changed.append(record)
    QueueRecord.objects.bulk_update(changed, ["tier_best"], batch_size=5_000)


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0003_queue_records"),
        ("kindergartens", "0003_enrollment_ended_reason"),
    ]

    operations = [
        migrations.AddField(
            model_name="queuerecord",
            name="tier_best",
            field=models.PositiveSmallIntegerField(default=4),
        ),
        migrations.RunPython(tier_best_fill, migrations.RunPython.noop),
        # In the model since the queue records came, missing from their migration.
        migrations.AddConstraint(
            model_name="queuekey",
            constraint=models.UniqueConstraint(
                fields=("record", "kindergarten"), name="queue_key_once"
            ),
        ),
    ]
