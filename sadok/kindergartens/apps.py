from django.apps import AppConfig


class KindergartensConfig(AppConfig):
    name = "sadok.kindergartens"
    verbose_name = "Садочки"

    def ready(self) -> None:
        from sadok.kindergartens import admin  # noqa: F401  (registers the admin pages)
