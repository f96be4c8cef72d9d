import logging
from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate

logger = logging.getLogger(__name__)


class OffersConfig(AppConfig):
    name = "sadok.offers"
    verbose_name = "Місця і пропозиції"

    def ready(self) -> None:
        # The admin pages; the queue's door for the admin's edits of a queue's sources
        # and for allauth's hooks.
        from sadok.kindergartens.selectors import declared_places_set
        from sadok.offers import admin, hooks, source_admin  # noqa: F401
        from sadok.offers.selectors import accepted_places_of, declared_places_count
        from sadok.queue.records import held_reader_add

        held_reader_add(accepted_places_of)
        declared_places_set(declared_places_count)
        post_migrate.connect(_genesis, sender=self, dispatch_uid="journal_genesis")


def _genesis(sender: AppConfig, using: str, **kwargs: Any) -> None:
    """After `migrate`: a database from before the journal gets its genesis events."""
    from sadok.journal.models import Event
    from sadok.offers.genesis import genesis_ensure

    if Event._meta.db_table in connections[using].introspection.table_names():
        written = genesis_ensure()
        if written:
            logger.info("journal: %d genesis events written", written)
