"""How long a child may still wait in a group's queue: a range of months from the
group's past rate of offers and the child's position (docs/queue-rules.md, "The
expected wait"). Pure: the caller counts the offers.

Each offer in a group goes to the head of its queue, and the child offered leaves
it (accepted, declined, or deactivated when ignored), so a queue moves by about
one place per offer. Offers are counted as a Poisson process: `n` offers in `m`
months give the rate `n / m` per month, known to about two standard deviations,
`(n ± 2√n) / m`. The child at position `p` waits for `p` more offers: between
`p / fastest` and `p / slowest` months, whole months outward, never one number.
"""

from __future__ import annotations

import math


def wait_months(
    *, position: int, offers: int, months: float, min_offers: int, min_months: float
) -> tuple[int, int] | None:
    """The range (fewest, most) of whole months the child at `position` may wait,
    from `offers` made in its group over the past `months`; None where the history
    is too short to say (fewer than `min_offers` offers or `min_months` months, or so
    few that the slowest plausible rate is none)."""
    if position < 1 or offers < min_offers or months < min_months or months <= 0:
        return None
    spread = 2 * math.sqrt(offers)
    slowest, fastest = (offers - spread) / months, (offers + spread) / months
    if slowest <= 0:
        return None
    fewest = math.floor(position / fastest)
    most = math.ceil(position / slowest)
    return fewest, max(most, fewest + 1)
