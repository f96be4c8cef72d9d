"""Places: capacity, children attending, places declared by heads (open, or offered
to a child) and room by capacity no head has declared, by district, by kind of
group and by kindergarten; and the kindergartens whose room has stayed undeclared
longer than `SADOK_UNDECLARED_ROOM_DAYS`.

Counted from one read of every group (`kindergartens.selectors.groups_with_places`,
its counts done by the database) and summed here: the city has some 3,600 groups.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.db.models import Count
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from sadok.kindergartens.models import GroupKind, Kindergarten
from sadok.kindergartens.selectors import groups_with_places
from sadok.queue.models import QueueKey
from sadok.statistics.common import IN_STANDING, district_of, districts
from sadok.statistics.tables import Chart, Column, Kind, Table

FIGURES = ("capacity", "enrolled", "open_places", "offered_places", "undeclared")


def _place_columns() -> list[Column]:
    return [
        Column("capacity", _("Місць за нормою")),
        Column("enrolled", _("Дітей відвідує")),
        Column("open_places", _("Оголошено, вільні")),
        Column("offered_places", _("Оголошено, запропоновано дитині")),
        Column("undeclared", _("Не оголошено керівником")),
    ]


PLACES_NOTE = _(
    "«Оголошено, вільні» — місця, які керівник оголосив і які ще не запропоновано: "
    "пропозиції отримають діти з черги. «Запропоновано дитині» — чекають на відповідь "
    "або документи. «Не оголошено керівником» — місця, що є за місткістю груп, але "
    "керівник їх не оголосив, тож пропозицій на них немає."
)


def _groups(shared: dict[str, Any]) -> list[dict[str, Any]]:
    if "groups" not in shared:
        shared["groups"] = list(
            groups_with_places().values(
                "kindergarten_id",
                "kindergarten__district_id",
                "kind",
                "undeclared_room_since",
                *FIGURES,
            )
        )
    result: list[dict[str, Any]] = shared["groups"]
    return result


def _in_district(shared: dict[str, Any], district: str) -> list[dict[str, Any]]:
    groups = _groups(shared)
    chosen = district_of(shared, district) if district else None
    if chosen is None:
        return groups
    return [g for g in groups if g["kindergarten__district_id"] == chosen.pk]


def _sums(groups: list[dict[str, Any]], key: str) -> dict[Any, list[int]]:
    sums: dict[Any, list[int]] = defaultdict(lambda: [0] * (len(FIGURES) + 1))
    for group in groups:
        row = sums[group[key]]
        row[0] += 1
        for i, name in enumerate(FIGURES, start=1):
            row[i] += group[name]
    return sums


def _filters(shared: dict[str, Any], district: str) -> dict[str, str]:
    return {"district": district} if district and district_of(shared, district) else {}


STACK = Chart("bar", "", ("enrolled", "open_places", "offered_places", "undeclared"), True)


def places_by_district(*, today: dt.date, shared: dict[str, Any], **unused: Any) -> Table:
    sums = _sums(_groups(shared), "kindergarten__district_id")
    empty = [0] * (len(FIGURES) + 1)
    return Table(
        slug="places-by-district",
        title=_("Місця за районами"),
        note=PLACES_NOTE,
        columns=[
            Column("district", _("Район"), Kind.TEXT),
            Column("groups", _("Груп")),
            *_place_columns(),
        ],
        rows=[(d.display_name, *sums.get(d.pk, empty)) for d in districts(shared)],
        chart=Chart(STACK.type, "district", STACK.series, STACK.stacked),
    )


def places_by_group_kind(
    *, today: dt.date, shared: dict[str, Any], district: str = "", **unused: Any
) -> Table:
    sums = _sums(_in_district(shared, district), "kind")
    return Table(
        slug="places-by-group-kind",
        title=_("Місця за видами груп"),
        note=PLACES_NOTE,
        columns=[
            Column("group_kind", _("Вид групи"), Kind.TEXT),
            Column("groups", _("Груп")),
            *_place_columns(),
        ],
        rows=[(label, *sums[kind]) for kind, label in GroupKind.choices if kind in sums],
        chart=Chart(STACK.type, "group_kind", STACK.series, STACK.stacked),
        filters=_filters(shared, district),
    )


def _kindergartens(shared: dict[str, Any], district: str) -> list[dict[str, Any]]:
    if "kindergartens" not in shared:
        shared["kindergartens"] = list(
            Kindergarten.objects.order_by("number").values("pk", "number", "name", "district_id")
        )
    chosen = district_of(shared, district) if district else None
    return [k for k in shared["kindergartens"] if chosen is None or k["district_id"] == chosen.pk]


def kindergartens_table(
    *, today: dt.date, shared: dict[str, Any], district: str = "", **unused: Any
) -> Table:
    waiting = dict(
        QueueKey.objects.filter(**IN_STANDING)
        .values("kindergarten_id")
        .annotate(n=Count("pk"))
        .values_list("kindergarten_id", "n")
    )
    sums = _sums(_groups(shared), "kindergarten_id")
    names = {d.pk: d.display_name for d in districts(shared)}
    empty = [0] * (len(FIGURES) + 1)
    return Table(
        slug="kindergartens",
        title=_("Садочки: черга і місця"),
        note=format_lazy(
            "{}{}",
            _(
                "Дітей у черзі — ті, хто обрав садочок і чекає на місце в ньому (дитину "
                "враховано в кожному обраному садочку). "
            ),
            PLACES_NOTE,
        ),
        columns=[
            Column("number", _("№"), Kind.INTEGER),
            Column("name", _("Назва"), Kind.TEXT),
            Column("district", _("Район"), Kind.TEXT),
            Column("waiting", _("Дітей у черзі")),
            *_place_columns(),
        ],
        rows=[
            (
                k["number"],
                k["name"],
                names.get(k["district_id"], ""),
                waiting.get(k["pk"], 0),
                *sums.get(k["pk"], empty)[1:],
            )
            for k in _kindergartens(shared, district)
        ],
        filters=_filters(shared, district),
    )


def undeclared_room(
    *, today: dt.date, shared: dict[str, Any], district: str = "", **unused: Any
) -> Table:
    """Kindergartens with groups whose room by capacity has stayed undeclared for
    `SADOK_UNDECLARED_ROOM_DAYS` or more (since the nightly run first found it)."""
    days = settings.SADOK_UNDECLARED_ROOM_DAYS
    cutoff = today - dt.timedelta(days=days)
    room: dict[int, list[Any]] = {}
    for group in _groups(shared):
        since = group["undeclared_room_since"]
        if since is None or since > cutoff or group["undeclared"] <= 0:
            continue
        found = room.setdefault(group["kindergarten_id"], [0, since])
        found[0] += group["undeclared"]
        found[1] = min(found[1], since)
    names = {d.pk: d.display_name for d in districts(shared)}
    return Table(
        slug="undeclared-room",
        title=_("Місця за нормою, не оголошені керівником довше %(days)s днів") % {"days": days},
        note=_(
            "Садочки, у групах яких є місця за місткістю, але керівник не оголосив їх "
            "вільними щонайменше %(days)s днів поспіль: на ці місця діти з черги не "
            "отримують пропозицій. Дату перевіряють щоночі."
        )
        % {"days": days},
        columns=[
            Column("number", _("№")),
            Column("name", _("Назва"), Kind.TEXT),
            Column("district", _("Район"), Kind.TEXT),
            Column("undeclared", _("Не оголошено місць")),
            Column("since", _("Не оголошено з"), Kind.DATE),
        ],
        rows=[
            (k["number"], k["name"], names.get(k["district_id"], ""), *room[k["pk"]])
            for k in _kindergartens(shared, district)
            if k["pk"] in room
        ],
        filters=_filters(shared, district),
    )
