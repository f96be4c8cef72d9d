"""Each record's last day of each referral kind in force, from its own list (a
migration of its own, after the columns came in 0003)."""

import datetime as dt

from django.db import migrations

NO_END = dt.date.max


def referrals_fill(apps, schema_editor):
    """From each record's own list of referrals, as `records._until_by_kind` does."""
    QueueRecord = apps.get_model("queue", "QueueRecord")
    changed = []
    for record in QueueRecord.objects.iterator(chunk_size=5_000):
        referrals = (record.lists or {}).get("referrals", [])
        for kind, last in referrals:
            name = f"referral_{kind}_until"
            day = NO_END if last is None else dt.date.fromisoformat(last)
            setattr(record, name, max(day, getattr(record, name) or day))
        if referrals:
            changed.append(record)
    QueueRecord.objects.bulk_update(
        changed, ["referral_lkk_until", "referral_pmpk_until"], batch_size=5_000
    )


class Migration(migrations.Migration):
    dependencies = [("queue", "0003_record_constraint_referrals")]

    operations = [migrations.RunPython(referrals_fill, migrations.RunPython.noop)]
