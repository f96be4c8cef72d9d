from django.db import migrations, models


class Migration(migrations.Migration):
    """In the model since the queue records came, missing from their migration. A
    migration of its own: PostgreSQL cannot add it in the transaction that rewrote
    the keys (0004)."""

    dependencies = [("applications", "0004_queue_record_tiers")]

    operations = [
        migrations.AddConstraint(
            model_name="queuekey",
            constraint=models.UniqueConstraint(
                fields=("record", "kindergarten"), name="queue_key_once"
            ),
        ),
    ]
