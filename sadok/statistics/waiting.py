"""How many children wait: by district, birth year and privilege tier.

A child waits when its queue record is in good standing (`common.IN_STANDING`)
and filed under at least one kindergarten (a queue key): a child with a place that
no longer waits for a better one has no key and is not counted.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Value, When
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from sadok.allocation import Tier
from sadok.applications.models import PrivilegeCategory
from sadok.queue.models import QueueKey, QueueRecord
from sadok.queue.rule import TIERS, tier_column
from sadok.statistics.common import IN_STANDING, districts
from sadok.statistics.tables import Chart, Column, Kind, Table

TIER_LABELS = {
    **{Tier(value): label for value, label in PrivilegeCategory.Tier.choices},
    Tier.NONE: _("без пільги"),
}


def waiting_records() -> Any:
    """The queue records of the children who wait (see the module's docstring)."""
    return QueueRecord.objects.filter(
        Exists(QueueKey.objects.filter(record=OuterRef("pk"))), **IN_STANDING
    )


def queue_by_district(*, today: dt.date, shared: dict[str, Any], **unused: Any) -> Table:
    counts = dict(
        QueueKey.objects.filter(**IN_STANDING)
        .values_list("kindergarten__district")
        .annotate(n=Count("record", distinct=True))
        .values_list("kindergarten__district", "n")
    )
    return Table(
        slug="queue-by-district",
        title=_("Діти в черзі за районами"),
        note=_(
            "Діти, які чекають на місце хоча б в одному садочку району. Дитину, що "
            "обрала садочки у кількох районах, враховано в кожному з них."
        ),
        columns=[
            Column("district", _("Район"), Kind.TEXT),
            Column("children", _("Дітей у черзі")),
        ],
        rows=[(d.display_name, counts.get(d.pk, 0)) for d in districts(shared)],
        chart=Chart("bar", "district", ("children",)),
    )


def queue_by_birth_year(*, today: dt.date, **unused: Any) -> Table:
    rows = (
        waiting_records()
        .annotate(year=ExtractYear("born"))
        .values("year")
        .annotate(n=Count("pk"))
        .order_by("year")
        .values_list("year", "n")
    )
    return Table(
        slug="queue-by-birth-year",
        title=_("Діти в черзі за роком народження"),
        note=_("Кожну дитину, яка чекає на місце, враховано один раз."),
        columns=[
            Column("birth_year", _("Рік народження"), Kind.TEXT),
            Column("children", _("Дітей у черзі")),
        ],
        rows=[(str(year), n) for year, n in rows],
        chart=Chart("bar", "birth_year", ("children",)),
    )


def queue_by_tier(*, today: dt.date, **unused: Any) -> Table:
    # The tier on `today` as the queue rule reads it (`rule.tier_sql`): the best
    # tier with a confirmed claim still in force.
    tier = Case(
        *(When(**{f"{tier_column(t)}__gte": today}, then=Value(t.value)) for t in TIERS),
        default=Value(Tier.NONE.value),
        output_field=IntegerField(),
    )
    counts = dict(
        waiting_records()
        .annotate(tier=tier)
        .values("tier")
        .annotate(n=Count("pk"))
        .values_list("tier", "n")
    )
    return Table(
        slug="queue-by-tier",
        title=_("Діти в черзі за пільгами"),
        note=_(
            "Пільга, яка діє сьогодні (підтверджена і з чинним документом); без "
            "пільги — черга за датою реєстрації."
        ),
        columns=[
            Column("tier", _("Черговість"), Kind.TEXT),
            Column("children", _("Дітей у черзі")),
        ],
        rows=[(TIER_LABELS[t], counts.get(t.value, 0)) for t in Tier],
        chart=Chart("bar", "tier", ("children",)),
    )
