from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "sadok.applications"
    verbose_name = "Діти та заяви"

    def ready(self) -> None:
        from sadok.applications import admin  # noqa: F401  (registers the admin pages)
