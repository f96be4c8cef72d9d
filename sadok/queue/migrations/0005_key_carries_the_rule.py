"""Each key carries a copy of the columns of its record that the queue rule reads,
and a covering index replaces the old one (see `QueueKey`). The copies come in
nullable; 0006 fills them and 0007 makes the record's non-null ones non-null."""

from django.db import migrations, models

COPIES = (
    ("registered_at", models.DateTimeField(null=True)),
    ("lottery", models.PositiveIntegerField(null=True)),
    ("active", models.BooleanField(null=True)),
    ("verified", models.BooleanField(null=True)),
    ("flagged", models.BooleanField(null=True)),
    ("tier1_until", models.DateField(null=True)),
    ("tier2_until", models.DateField(null=True)),
    ("tier3_until", models.DateField(null=True)),
    ("referral_lkk_until", models.DateField(null=True)),
    ("referral_pmpk_until", models.DateField(null=True)),
)


class Migration(migrations.Migration):
    dependencies = [("queue", "0004_referrals_fill")]

    operations = [
        *(
            migrations.AddField(model_name="queuekey", name=name, field=field)
            for name, field in COPIES
        ),
    ]
