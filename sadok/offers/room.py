"""Since when a group has had room by capacity that its head has not declared.

A group's room (capacity − enrolled) is either declared as free places (offered to
the queue) or left undeclared; room left undeclared for long is published
(SPEC.md "Open statistics"). How long is not in any row, so the nightly run
(`tasks.daily_run`) notes it on the group: the first night room is found
undeclared it records that date, and the night none is left it clears it. A day
is fine enough for a threshold counted in weeks, and reading the journal back
for enrollments, leavings, capacity changes and places would retell all of them.
"""

from __future__ import annotations

import datetime as dt

from sadok.kindergartens.models import Group
from sadok.kindergartens.selectors import groups_with_places


def undeclared_room_mark(*, today: dt.date) -> tuple[int, int]:
    """Note `today` on groups where undeclared room appeared, clear it where none is
    left; returns (noted, cleared). Two UPDATEs, whatever the city's size."""
    with_room = groups_with_places().filter(undeclared__gt=0).values("pk")  # type: ignore[misc]
    noted = Group.objects.filter(pk__in=with_room, undeclared_room_since__isnull=True).update(
        undeclared_room_since=today
    )
    cleared = (
        Group.objects.filter(undeclared_room_since__isnull=False)
        .exclude(pk__in=with_room)
        .update(undeclared_room_since=None)
    )
    return noted, cleared
