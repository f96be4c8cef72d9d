"""Legal group sizes (Law of Ukraine "On Preschool Education", art. 14; SPEC.md
"Reference figures"). A head may exceed them only after confirming a warning.
"""

from __future__ import annotations

from sadok.kindergartens.models import GroupKind

# Special (compensating) groups by specialisation code; others fall back to age.
SPECIAL_MAXIMUM = {"speech": 12, "inclusive": 15}
SANATORIUM = "sanatorium"


def legal_capacity(*, kind: str, age_from_months: int, specialisation: str | None) -> int:
    """The largest group the law allows for this kind, age and specialisation."""
    if specialisation == SANATORIUM:
        return 15 if age_from_months < 36 else 20
    if specialisation in SPECIAL_MAXIMUM:
        return SPECIAL_MAXIMUM[specialisation]
    if kind == GroupKind.SHORT_STAY:
        return 10
    if kind == GroupKind.MIXED:
        return 15
    if age_from_months < 12:
        return 10
    if age_from_months < 36:
        return 15
    return 20
