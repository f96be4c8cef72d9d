from django.apps import AppConfig


class KyivIDConfig(AppConfig):
    name = "sadok.accounts.kyivid"
    label = "kyivid"
    verbose_name = "KyivID"
