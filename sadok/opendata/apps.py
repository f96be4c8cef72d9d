from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "sadok.opendata"
    verbose_name = "Відкриті дані"

    def ready(self) -> None:
        from sadok.kindergartens.extras import group_queue_reader_add
        from sadok.opendata.selectors import group_queues

        # The kindergarten's page links each group's anonymised queue (extras.py).
        group_queue_reader_add(group_queues)
