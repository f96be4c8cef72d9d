"""Public reads from a PostgreSQL streaming replica (docs/operations.md, "How it grows").

With `DATABASE_REPLICA_URL` set, the settings add a `replica` database and this
router. A view marked `@replica_reads` (the statistics, the anonymised queues, the
open API: public, read-only, and the same for everyone) reads from the replica while
it is up and close behind the primary; otherwise from the primary, so a replica
that lags or is down never shows a stale or broken page. Nothing ever writes to the
replica: every write, and every read outside those views (a family's cabinet must
see its own change at once), goes to the primary.

Whether the replica may serve is checked at most every `SADOK_REPLICA_CHECK_SECONDS`
per process: it answers, it is in recovery (a replica, not a promoted copy), and
it has replayed everything the primary had written when asked, or else the last
transaction it replayed is less than `SADOK_REPLICA_MAX_LAG_SECONDS` old (an idle
primary writes nothing, so an up-to-date replica is never taken for a late one).
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)

REPLICA = "replica"
_reading: ContextVar[bool] = ContextVar("sadok_replica_reads", default=False)
# (checked at, usable): one process's last look at the replica.
_state: dict[str, tuple[float, bool]] = {}

P = ParamSpec("P")
R = TypeVar("R")

# On the replica: whether it is one, whether it has replayed all the primary had
# written when asked, and how old the last transaction it replayed is.
_LAG = """
SELECT pg_is_in_recovery(),
       COALESCE(pg_last_wal_replay_lsn() >= %s::pg_lsn, false),
       COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)
"""


def replica_reads(view: Callable[P, R]) -> Callable[P, R]:
    """Let `view`'s reads go to the replica when it may serve (see the module)."""

    @functools.wraps(view)
    def reading(*args: P.args, **kwargs: P.kwargs) -> R:
        token = _reading.set(True)
        try:
            return view(*args, **kwargs)
        finally:
            _reading.reset(token)

    return reading


def replica_usable() -> bool:
    """Whether the replica may serve reads now (cached for a few seconds)."""
    if REPLICA not in settings.DATABASES:
        return False
    now = time.monotonic()
    checked = _state.get(REPLICA)
    if checked is not None and now - checked[0] < settings.SADOK_REPLICA_CHECK_SECONDS:
        return checked[1]
    usable = _check()
    _state[REPLICA] = (now, usable)
    return usable


def replica_forget() -> None:
    """Look at the replica again on the next read (tests, and after a failover)."""
    _state.clear()


def _check() -> bool:
    with connections["default"].cursor() as primary:
        primary.execute("SELECT pg_current_wal_lsn()")
        (written,) = primary.fetchone()
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(_LAG, [written])
            recovering, caught_up, lag = cursor.fetchone()
    except DatabaseError as error:
        logger.warning("replica unusable, reading from the primary: %s", error)
        connections[REPLICA].close()
        return False
    if not recovering:
        logger.warning("the replica is not in recovery (promoted?): reading from the primary")
        return False
    if not caught_up and float(lag) > settings.SADOK_REPLICA_MAX_LAG_SECONDS:
        logger.warning("replica %.0f s behind: reading from the primary", float(lag))
        return False
    return True


class ReplicaRouter:
    """Django's database router for the replica (`DATABASE_ROUTERS`)."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str:
        # The shared cache (rate limits, kept tables) is read where it is written.
        if model._meta.app_label == "django_cache":
            return "default"
        return REPLICA if _reading.get() and replica_usable() else "default"

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # one database, two ways to read it

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"
