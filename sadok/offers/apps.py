from django.apps import AppConfig


class OffersConfig(AppConfig):
    name = "sadok.offers"
    verbose_name = "Місця і пропозиції"

    def ready(self) -> None:
        # The admin pages; the queue's door for the admin's edits of a queue's sources
        # and for allauth's hooks.
        from sadok.offers import admin, hooks, source_admin  # noqa: F401
        from sadok.offers.selectors import accepted_places_of
        from sadok.queue.records import held_reader_add

        held_reader_add(accepted_places_of)
