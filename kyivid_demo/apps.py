from django.apps import AppConfig


class KyivIDDemoConfig(AppConfig):
    name = "kyivid_demo"
    label = "kyivid_demo"
    verbose_name = "KyivID (demo stand-in)"
