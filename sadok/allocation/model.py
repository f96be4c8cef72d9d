"""The plain data the queue engine reads and writes.

Everything here is an immutable value: the Django side builds these from its
rows, calls the pure functions in `queue`, `offers` and `wave`, and writes the
`Allocation` they return back. Nothing here knows about a database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import IntEnum, StrEnum

from sadok.allocation.ages import AgeRange


class Tier(IntEnum):
    """A confirmed privilege tier (SPEC.md "Privileges"); lower sorts first."""

    OUT_OF_TURN = 1  # позачергово
    FIRST_PRIORITY = 2  # першочергово
    GUARANTEED = 3  # забезпечення влаштування
    NONE = 4


class Reason(StrEnum):
    """Why the engine did what it did to one child (or one place).

    The values are stored in the database and shown to families: never rename
    one, only add new ones.
    """

    OFFERED = "offered"
    UPGRADED = "upgraded"
    WITHDRAWN_FOR_UPGRADE = "withdrawn_for_upgrade"
    PASSED_OVER_HOLDS_BETTER_OFFER = "passed_over_holds_better_offer"
    NOT_ELIGIBLE_AGE = "not_eligible_age"
    NOT_ELIGIBLE_INACTIVE = "not_eligible_inactive"
    NOT_ELIGIBLE_UNVERIFIED = "not_eligible_unverified"
    NOT_ELIGIBLE_FLAGGED = "not_eligible_flagged"
    NOT_ELIGIBLE_NOT_APPLIED = "not_eligible_not_applied"
    NOT_ELIGIBLE_NO_REFERRAL = "not_eligible_no_referral"
    NOT_ELIGIBLE_ENROLLED = "not_eligible_enrolled"
    ELIGIBLE = "eligible"
    UNFILLED_NO_ELIGIBLE_CHILD = "unfilled_no_eligible_child"


@dataclass(frozen=True, slots=True)
class Applicant:
    """One child's application as the queue sees it.

    `choices` are kindergarten ids, best first. `referrals` are the confirmed
    referral kinds ("pmpk", "lkk", ...). `enrolled_in` is the kindergarten the
    child attends now; with `keep_waiting` it still queues for kindergartens
    it ranked above that one.
    """

    id: int
    born: dt.date
    registered_at: dt.datetime
    lottery: int
    # The public application number: unique, the last tie-breaker (`queue.ORDER`).
    number: str
    tier: Tier
    choices: tuple[int, ...]
    referrals: frozenset[str]
    active: bool = True
    verified: bool = True
    flagged: bool = False
    enrolled_in: int | None = None
    keep_waiting: bool = False

    def rank(self, kindergarten: int) -> int:
        """0 for the first choice; a kindergarten not chosen ranks last."""
        try:
            return self.choices.index(kindergarten)
        except ValueError:
            return len(self.choices)


@dataclass(frozen=True, slots=True)
class GroupSpec:
    """A kindergarten group: its age range and the referral it needs, if any."""

    id: int
    kindergarten: int
    ages: AgeRange
    referral: str | None = None


@dataclass(frozen=True, slots=True)
class Place:
    """One free place a head declared in a group ("+1")."""

    id: int
    group: int


@dataclass(frozen=True, slots=True)
class OpenOffer:
    """An offer of `place` to `applicant` that awaits the family's answer."""

    place: int
    group: int
    kindergarten: int
    applicant: int


@dataclass(frozen=True, slots=True)
class Decision:
    """One step of an allocation, for the audit log and the family's cabinet.

    `applicant` is None only for UNFILLED_NO_ELIGIBLE_CHILD, which is about a
    place, not a child. For UPGRADED, `withdrawn_place` is the place of the
    offer the child gave up; a WITHDRAWN_FOR_UPGRADE decision for that place
    follows it.
    """

    applicant: int | None
    place: int | None
    group: int
    reason: Reason
    withdrawn_place: int | None = None


@dataclass(frozen=True, slots=True)
class Allocation:
    """What an allocation decided; the caller writes it in one transaction.

    `offers` are the new offers to create, `withdrawn` the existing open
    offers to withdraw, `decisions` every step in the order it was taken, and
    `unfilled` the places no eligible child could take.
    """

    offers: tuple[OpenOffer, ...]
    withdrawn: tuple[OpenOffer, ...]
    decisions: tuple[Decision, ...]
    unfilled: tuple[Place, ...]
