"""The transaction of a writer that changes a queue's sources: it names the children
it touched, and their records are refreshed once, at its end, with the events of what
changed (see `records.py`: the record is kept by the writer, never by signals)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

from django.db import transaction

from sadok.applications.models import Child
from sadok.journal.services import SYSTEM, Actor, events_append
from sadok.queue.changes import record_facts
from sadok.queue.records import queue_records_refresh


class Touched:
    """The children whose records a running service will refresh (`records_kept`),
    and who acts: the events of what the refresh changes are theirs."""

    def __init__(self, actor: Actor) -> None:
        self._children: set[int] = set()
        self.seen: set[int] = set()  # every child touched, refreshed or not yet
        self.actor = actor
        # The code of the decision the events of the refresh carry (a district
        # office's correction); empty for a family's own change.
        self.reason = ""

    def add(self, *children: int | None) -> None:
        touched = {c for c in children if c is not None}
        self._children |= touched
        self.seen |= touched

    def flush(self) -> None:
        """Refresh the records touched so far, now (`records_flush`), and append the
        events of what changed (`changes.record_facts`)."""
        if not self._children:
            return
        changes = queue_records_refresh(children=self._children)
        self._children.clear()
        if changes:
            numbers = dict(
                Child.objects.filter(pk__in=[c for c, _, _ in changes]).values_list(
                    "pk", "application_number"
                )
            )
            events_append(facts=record_facts(changes, numbers, self.reason), actor=self.actor)


# What the service running in this thread has touched (`records_kept`).
_touched: ContextVar[Touched | None] = ContextVar("queue_records_touched", default=None)


@contextlib.contextmanager
def records_kept(actor: Actor | None = None) -> Iterator[Touched]:
    """The transaction of a service that changes sources of queue records.

    The service names the children it touched (`Touched.add`); their records are
    refreshed once, at the end, inside the same transaction (Django has no
    pre-commit hook). A service that calls another shares its `Touched`: only the
    outermost refreshes, so a first choice costs one refresh. A read of the queues
    inside the transaction (the engine's) calls `records_flush` first."""
    outer = _touched.get()
    if outer is not None:
        if outer.actor is SYSTEM and actor is not None:
            outer.actor = actor  # a person's service called inside the system's
        with transaction.atomic():
            yield outer
        return
    touched = Touched(actor or SYSTEM)
    token = _touched.set(touched)
    try:
        with transaction.atomic():
            yield touched
            touched.flush()
    finally:
        _touched.reset(token)


def records_flush() -> None:
    """Refresh now what the running service has touched so far: the engine calls it
    before it reads the queues, so that it never reads a record its own
    transaction has made stale (a declined kindergarten, a deactivated child)."""
    touched = _touched.get()
    if touched is not None:
        touched.flush()
