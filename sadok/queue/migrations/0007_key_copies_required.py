"""The copies of the record's non-null columns are non-null on the key too, and the
covering index of the rule replaces the old lookup index."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("queue", "0006_key_copies_fill")]

    operations = [
        migrations.AlterField(
            model_name="queuekey", name="registered_at", field=models.DateTimeField()
        ),
        migrations.AlterField(
            model_name="queuekey", name="lottery", field=models.PositiveIntegerField()
        ),
        migrations.AlterField(model_name="queuekey", name="active", field=models.BooleanField()),
        migrations.AlterField(model_name="queuekey", name="verified", field=models.BooleanField()),
        migrations.AlterField(model_name="queuekey", name="flagged", field=models.BooleanField()),
        migrations.RemoveIndex(model_name="queuekey", name="queue_key_lookup"),
        migrations.AddIndex(
            model_name="queuekey",
            index=models.Index(
                fields=["kindergarten", "born"],
                include=[
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
                ],
                name="queue_key_rule",
            ),
        ),
    ]
