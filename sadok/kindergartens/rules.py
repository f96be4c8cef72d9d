"""Rules of a group's shape: legal sizes (Law of Ukraine "On Preschool Education",
art. 14; SPEC.md "Reference figures"), which a head may exceed only with a written
reason, and age bands in whole years (SPEC.md "Group formation").
"""

from __future__ import annotations

from django.utils.translation import gettext as _

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


# Kinds of group that may span two years or more (the older group only as 60-84).
WIDE_KINDS = {GroupKind.MIXED, GroupKind.SPECIAL}
OLDER_WIDE = (60, 84)


def band_problem(
    *, kind: str, age_from_months: int, age_to_months: int, specialisation: str | None
) -> str | None:
    """Why this age band is not allowed, in a head's words; None when it is.

    SPEC.md "Group formation": a band is whole years. It starts and ends on a
    multiple of 12 months and is 12 months wide, except an older group (60-84), a
    mixed-age group or a special group (a kind or a specialisation), which may span
    24 months or more. A band of a few months would let a head choose who gets a
    place (a "group" of 55-56 months holds one chosen child)."""
    if age_from_months % 12 or age_to_months % 12:
        return _(
            "Вікові межі групи — повні роки: «від» і «до» мають ділитися на 12 місяців "
            "(12, 24, 36, 48, 60, 72, 84)."
        )
    width = age_to_months - age_from_months
    if width == 12:
        return None
    wide = kind in WIDE_KINDS or specialisation is not None
    wide = wide or (kind == GroupKind.OLDER and (age_from_months, age_to_months) == OLDER_WIDE)
    if wide and width >= 24:
        return None
    return _(
        "Група охоплює один рік (12 місяців). Ширше — від 24 місяців — лише старша група "
        "(60–84), різновікова або спеціальна."
    )
