"""What several statistics read: the districts, once per page."""

from __future__ import annotations

from typing import Any

from sadok.allocation.queue import STANDING
from sadok.kindergartens.models import District

# A record or key in good standing, from the core's definition (active, verified,
# not flagged): the children the queue counts.
IN_STANDING = {name: required for name, required, _ in STANDING}


def districts(shared: dict[str, Any]) -> list[District]:
    if "districts" not in shared:
        shared["districts"] = list(District.objects.order_by("name"))
    result: list[District] = shared["districts"]
    return result


def district_of(shared: dict[str, Any], slug: str) -> District | None:
    return next((d for d in districts(shared) if d.slug == slug), None)
