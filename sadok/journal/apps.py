from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "sadok.journal"
    verbose_name = "Журнал подій"
