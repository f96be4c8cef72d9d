from django.apps import AppConfig


class OffersConfig(AppConfig):
    name = "sadok.offers"
    verbose_name = "Місця і пропозиції"

    def ready(self) -> None:
        from sadok.offers import admin  # noqa: F401  (registers the admin pages)
