"""The queue records now belong to the queue app (its 0001 takes them over with
their tables): they leave this app's state only."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0005_queue_key_once"),
        ("queue", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="QueueKey"),
                migrations.DeleteModel(name="QueueRecord"),
            ],
            database_operations=[],
        ),
    ]
