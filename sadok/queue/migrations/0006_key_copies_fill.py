"""Every key gets its record's columns (a statement that PostgreSQL and SQLite both
run; a migration of its own, before 0007 alters the table)."""

from django.db import migrations

COLUMNS = (
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
)

FILL = "UPDATE queue_queuekey SET {}".format(
    ", ".join(
        f"{c} = (SELECT r.{c} FROM queue_queuerecord r WHERE r.child_id = queue_queuekey.record_id)"
        for c in COLUMNS
    )
)


class Migration(migrations.Migration):
    dependencies = [("queue", "0005_key_carries_the_rule")]

    operations = [migrations.RunSQL(FILL, migrations.RunSQL.noop)]
