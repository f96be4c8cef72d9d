from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    """The open statistics: public tables, charts and downloads."""

    name = "sadok.statistics"
    label = "statistics"
