import datetime as dt

from django.db import migrations, models

NO_END = dt.date.max


def records_fill(apps, schema_editor):
    """Records written before: the last day of each tier's claims, from their own
    lists; and their keys filed again, once per kindergarten whose queues the child
    may be in (for a child with a place, only those it ranked above it while the
    family keeps waiting; `records._keys` as it was written with this migration)."""
    QueueRecord = apps.get_model("applications", "QueueRecord")
    QueueKey = apps.get_model("applications", "QueueKey")
    changed, keys = [], []
    for record in QueueRecord.objects.iterator(chunk_size=5_000):
        lists = record.lists
        for tier, last in lists.get("privileges", []):
            day = NO_END if last is None else dt.date.fromisoformat(last)
            name = f"tier{tier}_until"
            setattr(record, name, max(day, getattr(record, name) or day))
        if lists.get("privileges"):
            changed.append(record)
        choices, held = lists.get("choices", []), lists.get("held", [])
        limit = len(choices)
        if held:
            rank = min(choices.index(k) if k in choices else len(choices) for k in held)
            limit = rank if record.keep_waiting else 0
        keys += [
            QueueKey(record_id=record.pk, kindergarten_id=k, born=record.born)
            for k in set(choices[:limit])
        ]
    QueueRecord.objects.bulk_update(
        changed, ["tier1_until", "tier2_until", "tier3_until"], batch_size=5_000
    )
    QueueKey.objects.all().delete()  # duplicates too: the constraint below forbids them
    QueueKey.objects.bulk_create(keys, batch_size=5_000)


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0003_queue_records"),
        ("kindergartens", "0003_enrollment_ended_reason"),
    ]

    operations = [
        migrations.AddField(
            model_name="queuerecord", name="tier1_until", field=models.DateField(null=True)
        ),
        migrations.AddField(
            model_name="queuerecord", name="tier2_until", field=models.DateField(null=True)
        ),
        migrations.AddField(
            model_name="queuerecord", name="tier3_until", field=models.DateField(null=True)
        ),
        migrations.RunPython(records_fill, migrations.RunPython.noop),
    ]
