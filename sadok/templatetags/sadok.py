"""Small presentation helpers shared by every page."""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.utils.translation import get_language, ngettext
from leaflet.templatetags.leaflet_tags import leaflet_map

register = template.Library()


def _years_months_uk_genitive(months: int) -> str:
    # "від 2 до 3 років", "від 1 року", "від 6 місяців": after від/до Ukrainian
    # takes the genitive, whose singular is року/місяця and plural років/місяців.
    years, rest = divmod(months, 12)
    parts = []
    if years:
        parts.append(f"{years} {'року' if years % 10 == 1 and years % 100 != 11 else 'років'}")
    if rest or not years:
        parts.append(f"{rest} {'місяця' if rest % 10 == 1 and rest % 100 != 11 else 'місяців'}")
    return " ".join(parts)


def _years_months_en(months: int) -> str:
    years, rest = divmod(months, 12)
    parts = []
    if years:
        parts.append(ngettext("%(n)d year", "%(n)d years", years) % {"n": years})
    if rest or not years:
        parts.append(ngettext("%(n)d month", "%(n)d months", rest) % {"n": rest})
    return " ".join(parts)


@register.simple_tag
def age_range(from_months: int, to_months: int) -> str:
    """'від 2 до 3 років' for a group of 24 to 36 months; 'до 1 року' from birth."""
    if get_language() == "en":
        upper = _years_months_en(to_months)
        return (
            f"under {upper}" if from_months == 0 else f"{_years_months_en(from_months)} to {upper}"
        )
    upper = _years_months_uk_genitive(to_months)
    if from_months == 0:
        return f"до {upper}"
    if from_months % 12 == 0 and to_months % 12 == 0:
        # "від 2 до 3 років": the unit is said once, as people say it.
        return f"від {from_months // 12} до {upper}"
    return f"від {_years_months_uk_genitive(from_months)} до {upper}"


@register.simple_tag
def map_options(name: str) -> dict[str, Any]:
    """django-leaflet's options for the map `name` (what its `leaflet_map` tag puts in
    an inline script), for `sadok/map.js` to create the map from: a page with no
    inline script carries no Content-Security-Policy nonce, so a public page with a
    map can be kept whole (`sadok.caching.public_page`)."""
    tag = leaflet_map(name)
    return {
        "name": name,
        "djoptions": json.loads(tag["djoptions"]),
        "loadevents": json.loads(tag["loadevents"]),
        "globals": not tag["NO_GLOBALS"],
    }
