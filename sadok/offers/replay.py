"""Replaying the journal through the pure core: do the events explain the offers?

The journal's events are published as the public log publishes them
(`sadok.journal.log.public_entry`: no ages in months, no internal ids, no privilege
categories) and replayed by `sadok.allocation.replay`, the same code anyone runs
on the public log with `tools/verify_public_log.py`. So a journal that replays here
is a journal whose public log replays: what the public sees is enough to check
every offer.
"""

from __future__ import annotations

from collections.abc import Iterable

from sadok.allocation.replay import Replay, replay
from sadok.journal.log import public_entry
from sadok.journal.models import Event


def journal_replay(events: Iterable[Event] | None = None) -> Replay:
    """Replay `events` (every event, in order; each entry named by its event's id)."""
    rows = events if events is not None else Event.objects.order_by("pk").iterator(2000)
    return replay(public_entry(event, event.pk) for event in rows)
