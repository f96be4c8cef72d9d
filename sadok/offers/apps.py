from django.apps import AppConfig


class OffersConfig(AppConfig):
    name = "sadok.offers"
    verbose_name = "Місця і пропозиції"

    def ready(self) -> None:
        from sadok.offers import admin  # noqa: F401  (registers the admin pages)
        from sadok.offers.selectors import accepted_places_of
        from sadok.queue.records import held_reader_add

        held_reader_add(accepted_places_of)
