"""The record gets a real foreign key to its child (a deleted child takes its record
with it, whatever deletes it), the last day of each referral kind in force, and
tables named after the app."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("queue", "0002_orphans_delete")]

    operations = [
        migrations.AlterField(
            model_name="queuerecord",
            name="child",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                primary_key=True,
                related_name="queue_record",
                serialize=False,
                to="applications.child",
            ),
        ),
        migrations.AddField(
            model_name="queuerecord", name="referral_lkk_until", field=models.DateField(null=True)
        ),
        migrations.AddField(
            model_name="queuerecord", name="referral_pmpk_until", field=models.DateField(null=True)
        ),
        migrations.AlterModelTable(name="queuerecord", table=None),
        migrations.AlterModelTable(name="queuekey", table=None),
    ]
