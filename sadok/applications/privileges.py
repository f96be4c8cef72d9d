"""The privilege categories of SPEC.md "Privileges", in their three tiers.

Data, not code: the initial set is loaded by a migration, and the city
administrator changes it in the admin. `privilege_categories_ensure` restores
missing ones (a fresh demo database, a test database that was flushed).
"""

from __future__ import annotations

from typing import Any

CATEGORIES = (
    (
        "chornobyl-1",
        1,
        "Діти громадян, постраждалих внаслідок Чорнобильської катастрофи (категорія 1)",
        "Children of citizens affected by the Chornobyl disaster (category 1)",
    ),
    (
        "chornobyl-2",
        1,
        "Діти громадян, постраждалих внаслідок Чорнобильської катастрофи (категорія 2)",
        "Children of citizens affected by the Chornobyl disaster (category 2)",
    ),
    (
        "chornobyl-3",
        1,
        "Діти громадян, постраждалих внаслідок Чорнобильської катастрофи (категорія 3)",
        "Children of citizens affected by the Chornobyl disaster (category 3)",
    ),
    (
        "chornobyl-disability",
        1,
        "Діти з інвалідністю, пов'язаною з Чорнобильською катастрофою",
        "Children with a disability linked to the Chornobyl disaster",
    ),
    (
        "national-guard",
        2,
        "Діти військовослужбовців Національної гвардії України",
        "Children of National Guard servicemen",
    ),
    ("military", 2, "Діти військовослужбовців", "Children of military servicemen"),
    ("ato", 2, "Діти киян — учасників АТО/ООС", "Children of Kyivans who took part in the ATO"),
    (
        "idp",
        3,
        "Діти внутрішньо переміщених осіб (ВПО)",
        "Children of internally displaced persons (IDP)",
    ),
)


def privilege_categories_ensure(model: Any = None) -> None:
    """Create the categories that do not exist; never overwrite an administrator's edit."""
    if model is None:
        from sadok.applications.models import PrivilegeCategory as model
    for code, tier, name, name_en in CATEGORIES:
        model.objects.get_or_create(
            code=code, defaults={"tier": tier, "name": name, "name_en": name_en}
        )
