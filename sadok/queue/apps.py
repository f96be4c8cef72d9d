import logging
from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate

logger = logging.getLogger(__name__)


class QueueConfig(AppConfig):
    name = "sadok.queue"
    verbose_name = "Черга"

    def ready(self) -> None:
        post_migrate.connect(_records_ensure, sender=self, dispatch_uid="queue_records_ensure")


def _records_ensure(sender: AppConfig, using: str, **kwargs: Any) -> None:
    """After `migrate`: a database from before the queue records gets them, so that
    no registered child is missing from the queues after an upgrade."""
    from sadok.queue.models import QueueRecord
    from sadok.queue.records import queue_records_ensure

    if QueueRecord._meta.db_table in connections[using].introspection.table_names():
        written = queue_records_ensure()
        if written:
            logger.info("queue records written for %d registered children", written)
