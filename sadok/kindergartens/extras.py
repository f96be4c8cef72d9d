"""What higher layers add to a kindergarten's public page, without this app
importing them: a group's queue (its public page and its length) is known to
`sadok.queue` and shown by `sadok.opendata`, both above this app. The higher app
registers a reader at start-up (its `AppConfig.ready`), as `queue.records`
takes the offers' readers of held places; nothing reaches up by a signal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sadok.kindergartens.models import Group, Kindergarten


@dataclass(frozen=True)
class GroupQueue:
    """A group's queue as its kindergarten's page links it: the public page of the
    anonymised queue and how many children wait in it."""

    url: str
    length: int


# Given a kindergarten, its groups and the day: each group's queue, by group id.
GroupQueueReader = Callable[[Kindergarten, Sequence[Group], dt.date], dict[int, GroupQueue]]
_readers: list[GroupQueueReader] = []


def group_queue_reader_add(reader: GroupQueueReader) -> None:
    if reader not in _readers:
        _readers.append(reader)


def group_queues_of(
    *, kindergarten: Kindergarten, groups: Sequence[Group], today: dt.date
) -> dict[int, GroupQueue]:
    """Each group's queue as the registered readers know it (none: an empty dict)."""
    found: dict[int, GroupQueue] = {}
    for read in _readers:
        found.update(read(kindergarten, groups, today))
    return found
