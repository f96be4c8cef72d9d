"""The rule's last tie-breaker is the child's public application number, not its
internal id: records and keys carry it, and the covering index includes it."""

from django.db import migrations, models

INDEX_INCLUDE = [
    "record",
    "registered_at",
    "lottery",
    "active",
    "verified",
    "flagged",
    "tier1_until",
    "tier2_until",
    "tier3_until",
    "referral_lkk_until",
    "referral_pmpk_until",
]

# Statements that PostgreSQL and SQLite both run.
FILL_RECORDS = (
    "UPDATE queue_queuerecord SET number = (SELECT c.application_number "
    "FROM applications_child c WHERE c.id = queue_queuerecord.child_id)"
)
FILL_KEYS = (
    "UPDATE queue_queuekey SET number = (SELECT r.number FROM queue_queuerecord r "
    "WHERE r.child_id = queue_queuekey.record_id)"
)


class Migration(migrations.Migration):
    dependencies = [("queue", "0007_key_copies_required"), ("applications", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="queuerecord",
            name="number",
            field=models.CharField(default="", max_length=12),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="queuekey",
            name="number",
            field=models.CharField(default="", max_length=12),
            preserve_default=False,
        ),
        migrations.RunSQL(FILL_RECORDS, migrations.RunSQL.noop),
        migrations.RunSQL(FILL_KEYS, migrations.RunSQL.noop),
        migrations.RemoveIndex(model_name="queuekey", name="queue_key_rule"),
        migrations.AddIndex(
            model_name="queuekey",
            index=models.Index(
                fields=["kindergarten", "born"],
                include=[*INDEX_INCLUDE[:3], "number", *INDEX_INCLUDE[3:]],
                name="queue_key_rule",
            ),
        ),
    ]
