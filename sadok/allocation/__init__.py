"""The pure core of Sadok: queue order, age eligibility, offers and waves.

Plain Python over plain data. It imports nothing from Django or from the other
Sadok apps (import-linter enforces it), so the rules can be read, tested and
benchmarked on their own.
"""

from sadok.allocation.ages import AgeRange, age_in_months
from sadok.allocation.model import (
    Allocation,
    Applicant,
    Decision,
    GroupSpec,
    OpenOffer,
    Place,
    Reason,
    Tier,
)
from sadok.allocation.offers import Candidates, allocate
from sadok.allocation.queue import (
    Position,
    eligibility,
    group_queue,
    position,
    priority,
    queued_choices,
)
from sadok.allocation.wave import wave

__all__ = [
    "AgeRange",
    "Allocation",
    "Applicant",
    "Candidates",
    "Decision",
    "GroupSpec",
    "OpenOffer",
    "Place",
    "Position",
    "Reason",
    "Tier",
    "age_in_months",
    "allocate",
    "eligibility",
    "group_queue",
    "position",
    "priority",
    "queued_choices",
    "wave",
]
