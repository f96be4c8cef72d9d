from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "sadok.notifications"
    verbose_name = "Повідомлення"
