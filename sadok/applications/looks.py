"""When a family last looked at a child's page, and what it saw then: the start of
"what changed since" on the next visit (`sadok.queue.why`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sadok.applications.models import PageLook


@dataclass(frozen=True)
class Look:
    """A previous look: when, and the positions seen then by kindergarten id (None: the
    first look)."""

    seen_at: dt.datetime | None
    positions: dict[int, dict[str, Any]] = field(default_factory=dict)


def page_look(*, user_id: int, child_id: int, at: dt.datetime, positions: dict[int, Any]) -> Look:
    """Records that `user_id` sees `child_id`'s page at `at` with `positions`, and
    returns the look before it, in two statements whether or not it is the first."""
    previous = PageLook.objects.filter(child_id=child_id, user_id=user_id).first()
    # One upsert whether or not a look exists: the same statements every visit.
    PageLook.objects.bulk_create(
        [
            PageLook(
                child_id=child_id,
                user_id=user_id,
                seen_at=at,
                positions={str(k): v for k, v in positions.items()},
            )
        ],
        update_conflicts=True,
        unique_fields=["child", "user"],
        update_fields=["seen_at", "positions"],
    )
    if previous is None:
        return Look(None)
    return Look(previous.seen_at, {int(k): v for k, v in previous.positions.items()})
