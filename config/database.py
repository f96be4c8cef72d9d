"""The database of a `DATABASE_URL`, with what SQLite needs to serve the demo.

`make run` serves an SQLite file to two processes at once: the web server and the
background worker. SQLite's defaults make one of them fail at once with "database
is locked" whenever both write: a transaction begins as a reader and cannot
become a writer while the other holds the write lock. So for SQLite:

- WAL: readers never wait for the writer, nor the writer for readers;
- a busy timeout: a writer waits for the other's commit instead of failing;
- IMMEDIATE transactions: every `transaction.atomic()` takes the write lock when
  it begins, so it waits there (under the timeout) instead of failing midway.

PostgreSQL, as in production and in every test run, needs none of this.
"""

from __future__ import annotations

from typing import Any

import dj_database_url

# Seconds a writer waits for another process's transaction to commit. The demo's
# longest write (a wave over every queue) takes a few seconds.
SQLITE_BUSY_TIMEOUT_SECONDS = 30

SQLITE_OPTIONS: dict[str, Any] = {
    "timeout": SQLITE_BUSY_TIMEOUT_SECONDS,
    "transaction_mode": "IMMEDIATE",
    # NORMAL is durable across a crash of the process in WAL mode, and much faster.
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
}


def database_from_url(url: str, *, conn_max_age: int = 0) -> dict[str, Any]:
    """Django's `DATABASES["default"]` for `url`; SQLite gets `SQLITE_OPTIONS`."""
    config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=conn_max_age))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
    return config
