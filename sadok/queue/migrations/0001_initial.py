"""The queue records move from the applications app to their own: the tables stay
as they are (state only), and 0002 gives them their new names."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("applications", "0005_queue_key_once"),
        ("kindergartens", "0003_enrollment_ended_reason"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="QueueRecord",
                    fields=[
                        (
                            "child",
                            models.OneToOneField(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                primary_key=True,
                                related_name="queue_record",
                                serialize=False,
                                to="applications.child",
                            ),
                        ),
                        ("born", models.DateField()),
                        ("registered_at", models.DateTimeField()),
                        ("lottery", models.PositiveIntegerField()),
                        ("active", models.BooleanField()),
                        ("keep_waiting", models.BooleanField()),
                        ("verified", models.BooleanField()),
                        ("flagged", models.BooleanField()),
                        ("lists", models.JSONField(default=dict)),
                        ("tier1_until", models.DateField(null=True)),
                        ("tier2_until", models.DateField(null=True)),
                        ("tier3_until", models.DateField(null=True)),
                    ],
                    options={
                        "verbose_name": "запис у черзі",
                        "verbose_name_plural": "записи в черзі",
                        "db_table": "applications_queuerecord",
                    },
                ),
                migrations.CreateModel(
                    name="QueueKey",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("born", models.DateField()),
                        (
                            "kindergarten",
                            models.ForeignKey(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="kindergartens.kindergarten",
                            ),
                        ),
                        (
                            "record",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="keys",
                                to="queue.queuerecord",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "applications_queuekey",
                        "indexes": [
                            models.Index(
                                fields=["kindergarten", "born", "record"], name="queue_key_lookup"
                            )
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("record", "kindergarten"), name="queue_key_once"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
