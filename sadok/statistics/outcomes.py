"""What happened to offers: by month, from the journal; and how long children
waited from registration to their first offer, by district and age band."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, DurationField, Exists, ExpressionWrapper, F, OuterRef, Q
from django.db.models.functions import TruncDate, TruncMonth
from django.utils.translation import gettext_lazy as _

from sadok import clock
from sadok.journal.models import Event, EventKind
from sadok.offers.models import Offer
from sadok.statistics.common import districts
from sadok.statistics.tables import Chart, Column, Kind, Table
from sadok.templatetags.sadok import age_range

# Column → the journal's kinds it counts. An upgrade is an offer of a better
# kindergarten, so it counts as an offer made.
MONTHLY = {
    "offers": (EventKind.OFFER_MADE, EventKind.OFFER_UPGRADED),
    "accepted": (EventKind.OFFER_ACCEPTED,),
    "declined": (EventKind.OFFER_DECLINED,),
    "expired": (EventKind.OFFER_EXPIRED,),
    "enrolled": (EventKind.DOCUMENTS_CONFIRMED,),
}


def _month(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _months(first: dt.date, last: dt.date) -> list[str]:
    months, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def offers_by_month(*, today: dt.date, **unused: Any) -> Table:
    column_of: dict[str, str] = {
        str(kind): column for column, kinds in MONTHLY.items() for kind in kinds
    }
    counted = (
        Event.objects.filter(kind__in=list(column_of))
        .annotate(month=TruncMonth("at", tzinfo=clock.KYIV))
        .values("month", "kind")
        .annotate(n=Count("pk"))
        .values_list("month", "kind", "n")
    )
    per_month: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(MONTHLY, 0))
    for month, kind, n in counted:
        per_month[_month(month)][column_of[kind]] += n
    rows: list[tuple[Any, ...]] = []
    if per_month:
        first = dt.date.fromisoformat(min(per_month) + "-01")
        rows = [
            (month, *per_month[month].values()) if month in per_month else (month, 0, 0, 0, 0, 0)
            for month in _months(first, max(today, first))
        ]
    return Table(
        slug="offers-by-month",
        title=_("Пропозиції місць за місяцями"),
        note=_(
            "За журналом подій: скільки місць запропоновано дітям (разом із пропозиціями "
            "вищого садочка), скільки пропозицій прийнято, відхилено, залишено без "
            "відповіді до кінця строку, і скільки дітей зараховано, за київським часом."
        ),
        columns=[
            Column("month", _("Місяць"), Kind.MONTH),
            Column("offers", _("Запропоновано")),
            Column("accepted", _("Прийнято")),
            Column("declined", _("Відхилено")),
            Column("expired", _("Строк минув")),
            Column("enrolled", _("Зараховано")),
        ],
        rows=rows,
        chart=Chart("line", "month", tuple(MONTHLY)),
    )


def quartiles(histogram: Iterable[tuple[float, int]]) -> tuple[float, float, float]:
    """Q1, median and Q3 of values given as (value, how many), interpolated as
    PostgreSQL's `percentile_cont` does (and `statistics.quantiles(method="inclusive")`)."""
    pairs = sorted((value, n) for value, n in histogram if n > 0)
    total = sum(n for _value, n in pairs)
    if total == 0:
        raise ValueError("no values")

    def at(index: int) -> float:
        seen = 0
        for value, n in pairs:
            seen += n
            if index < seen:
                return value
        return pairs[-1][0]

    def percentile(p: float) -> float:
        position = p * (total - 1)
        low = int(position)
        fraction = position - low
        lower = at(low)
        return float(lower if fraction == 0 else lower + fraction * (at(low + 1) - lower))

    return percentile(0.25), percentile(0.5), percentile(0.75)


def wait_to_offer(*, today: dt.date, shared: dict[str, Any], **unused: Any) -> Table:
    """Days (Kyiv calendar) from a child's registration to its first offer, per
    district and age band of the offered group: counted by the database per whole
    day, the quartiles taken here from those counts (the same on SQLite)."""
    # A child's first offer: no offer of the same child made before it (an anti-join
    # over the child's index; a subquery per offer took seconds at Kyiv scale).
    earlier = Offer.objects.filter(child=OuterRef("child")).filter(
        Q(made_at__lt=OuterRef("made_at")) | Q(made_at=OuterRef("made_at"), pk__lt=OuterRef("pk"))
    )
    wait = ExpressionWrapper(
        TruncDate("made_at", tzinfo=clock.KYIV)
        - TruncDate("child__registered_at", tzinfo=clock.KYIV),
        output_field=DurationField(),
    )
    counted = (
        Offer.objects.filter(~Exists(earlier), child__registered_at__isnull=False)
        .annotate(
            district=F("place__group__kindergarten__district_id"),
            age_from=F("place__group__age_from_months"),
            age_to=F("place__group__age_to_months"),
            wait=wait,
        )
        .values("district", "age_from", "age_to", "wait")
        .annotate(n=Count("pk"))
        .values_list("district", "age_from", "age_to", "wait", "n")
    )
    histograms: dict[tuple[int, int, int], list[tuple[float, int]]] = defaultdict(list)
    for district, age_from, age_to, waited, n in counted:
        days = waited.days if isinstance(waited, dt.timedelta) else int(waited)
        histograms[(district, age_from, age_to)].append((max(days, 0), n))
    names = {d.pk: (i, d.display_name) for i, d in enumerate(districts(shared))}
    rows = []
    for (district, age_from, age_to), histogram in sorted(
        histograms.items(), key=lambda item: (names[item[0][0]][0], item[0][1], item[0][2])
    ):
        q1, median, q3 = quartiles(histogram)
        rows.append(
            (
                names[district][1],
                age_range(age_from, age_to),
                sum(n for _value, n in histogram),
                q1,
                median,
                q3,
            )
        )
    return Table(
        slug="wait-to-offer",
        title=_("Скільки днів діти чекали на першу пропозицію"),
        note=_(
            "Від дати реєстрації в черзі до першої пропозиції місця, у днях, за районом "
            "і віком групи запропонованого місця: медіана (половина дітей чекала менше) "
            "і квартилі (чверть дітей чекала менше за перший, три чверті — менше за "
            "третій)."
        ),
        columns=[
            Column("district", _("Район"), Kind.TEXT),
            Column("age_band", _("Вік групи"), Kind.TEXT),
            Column("offers", _("Дітей з пропозицією")),
            Column("q1_days", _("Перший квартиль, днів"), Kind.NUMBER),
            Column("median_days", _("Медіана, днів"), Kind.NUMBER),
            Column("q3_days", _("Третій квартиль, днів"), Kind.NUMBER),
        ],
        rows=rows,
        chart=Chart("bar", "", ("q1_days", "median_days", "q3_days")),
    )
