from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "sadok.notifications"
    verbose_name = "Повідомлення"

    def ready(self) -> None:
        from sadok.notifications import admin  # noqa: F401  (registers the admin pages)
