from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The embedded demo: composes every app's demo data into one Kyiv."""

    name = "sadok.demo"
    label = "demo"
