"""Open statistics (SPEC.md "Open statistics"): the queue's size, places, offers and
waiting times, aggregated in SQL and published as tables anyone may read, chart
and download, with no login and no personal data.

Every statistic is a plain `tables.Table` built by a function here, so that the
pages, the CSV and JSON downloads and an API above this app serve the same rows.
"""
