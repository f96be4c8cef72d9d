"""The queue record: what the engine needs of a registered child, in one row.

The sources are spread over many tables (the child, its ranked choices, confirmed
privilege claims, referrals, open duplicate flags, its guardians' verified
contacts, its enrollment or accepted offer). Reading them for a kindergarten's
queue took eight queries per round of a cascade; a head's "+1" must answer within
a web request (benchmarks/allocation.py, (e)). So they are folded into one
`QueueRecord` row per registered child, kept by the writer: every service that
changes a source runs in `kept.records_kept()`, names the children it touched, and
their records are refreshed once at the end of its transaction. No signals: an
edit that does not go through a service (the admin, django-allauth) comes in
through the queue app's admin and allauth hooks (`admin.py`, `hooks.py`).

Dates that make a claim or a referral lapse stay in the record; the reader
(`applicants.py`, `rule.py`) decides at the reference date. `queue_records_check`
compares every record with its sources (`manage.py queue_records --check`), and
the test suite runs that comparison after every test that touched the database.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db import transaction
from django.db.models import Q

from sadok.allocation import Tier, queued_choices
from sadok.allocation.applicants import best_held
from sadok.applications.models import (
    Child,
    ChildStatus,
    Choice,
    ClaimStatus,
    DuplicateFlag,
    FlagStatus,
    Guardianship,
    PrivilegeClaim,
    Referral,
)
from sadok.bulk import rows_insert
from sadok.kindergartens.models import Enrollment, ReferralKind
from sadok.queue.models import QueueKey, QueueRecord
from sadok.queue.rule import TIERS, referral_column, tier_column

FIELDS = (
    "born",
    "registered_at",
    "lottery",
    "number",
    "active",
    "keep_waiting",
    "verified",
    "flagged",
    "lists",
    *(tier_column(t) for t in TIERS),
    *(referral_column(k) for k in ReferralKind.values),
)
LISTS = ("choices", "privileges", "referrals", "held")
# The columns of a record that the queue rule reads (`rule.py`), copied onto each of
# its keys so that a queue is found, ordered and counted from the keys' index alone.
KEY_COPIES = (
    "registered_at",
    "lottery",
    "number",
    "active",
    "verified",
    "flagged",
    *(tier_column(t) for t in TIERS),
    *(referral_column(k) for k in ReferralKind.values),
)
KEY_FIELDS = ("record_id", "kindergarten_id", "born", *KEY_COPIES)
NO_END = dt.date.max
_BATCH = 5_000
logger = logging.getLogger(__name__)
# A record is also filed as a `QueueKey` under each kindergarten in whose queues the
# child may be (`_keys`).


def _until(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


# Where a child holds a place besides its groups: an accepted offer (documents on
# their way). Offers are the layer above the queue (they read it), so the offers
# app hands this module the reader of its accepted offers when it starts
# (`OffersConfig.ready`); the queue never imports it. A reader returns (child,
# kindergarten) pairs for `children` (None: every child).
HeldReader = Callable[[list[int] | None], Iterable[tuple[int, int]]]
_held_readers: list[HeldReader] = []


def held_reader_add(reader: HeldReader) -> None:
    if reader not in _held_readers:
        _held_readers.append(reader)


def records_compute(*, children: Iterable[int] | None) -> dict[int, dict[str, Any]]:
    """The record of each registered child among `children` (None: every child),
    computed from the sources."""
    # A closed record (a duplicate merged, a fake) is in no queue.
    rows = Child.objects.filter(registered_at__isnull=False).exclude(status=ChildStatus.CLOSED)
    in_ids = Q()
    ids: list[int] | None = None
    if children is not None:
        ids = list(children)
        rows = rows.filter(pk__in=ids)
        in_ids = Q(child__in=ids)
    records: dict[int, dict[str, Any]] = {
        pk: {
            "born": born,
            "registered_at": registered_at,
            "lottery": lottery,
            "number": number,
            "active": status == ChildStatus.ACTIVE,
            "keep_waiting": keep_waiting,
            "verified": office is not None,
            "flagged": False,
            "lists": {name: [] for name in LISTS},
        }
        for pk, born, registered_at, lottery, number, status, keep_waiting, office in (
            rows.values_list(
                "pk",
                "born",
                "registered_at",
                "lottery",
                "application_number",
                "status",
                "keep_waiting",
                "registered_by_office",
            )
        )
    }

    def each(pairs: Iterable[tuple[int, Any]], field: str) -> None:
        for child_id, value in pairs:
            if child_id in records:
                records[child_id]["lists"][field].append(value)

    each(
        Choice.objects.filter(in_ids)
        .order_by("child_id", "rank")
        .values_list("child_id", "kindergarten_id"),
        "choices",
    )
    each(
        (
            (child_id, [tier, _until(until)])
            for child_id, tier, until in PrivilegeClaim.objects.filter(
                in_ids, status=ClaimStatus.CONFIRMED
            )
            .order_by("child_id", "category__tier", "valid_until", "pk")
            .values_list("child_id", "category__tier", "valid_until")
        ),
        "privileges",
    )
    each(
        (
            (child_id, [kind, _until(until)])
            for child_id, kind, until in Referral.objects.filter(in_ids)
            .order_by("child_id", "kind", "valid_until", "pk")
            .values_list("child_id", "kind", "valid_until")
        ),
        "referrals",
    )
    held: defaultdict[int, set[int]] = defaultdict(set)
    for child_id, kindergarten_id in Enrollment.objects.filter(
        in_ids, child__isnull=False, ended_on__isnull=True
    ).values_list("child_id", "group__kindergarten_id"):
        held[child_id].add(kindergarten_id)
    for read in _held_readers:
        for child_id, kindergarten_id in read(ids):
            held[child_id].add(kindergarten_id)
    for record in records.values():
        record.update(_tiers_until(record["lists"]["privileges"]))
        record.update(_referrals_until(record["lists"]["referrals"]))
    for child_id, kindergartens in held.items():
        if child_id in records:
            records[child_id]["lists"]["held"] = sorted(kindergartens)
    for child_id in DuplicateFlag.objects.filter(in_ids, status=FlagStatus.OPEN).values_list(
        "child_id", flat=True
    ):
        if child_id in records:
            records[child_id]["flagged"] = True
    # "Verified" (SPEC.md "The queue"): a guardian with a verified e-mail and phone,
    # or (above) the district office that registered the child from the documents
    # it saw with the family in person (docs/queue-rules.md), attached or not.
    for child_id in Guardianship.objects.filter(
        in_ids, user__phone_verified=True, user__emailaddress__verified=True
    ).values_list("child_id", flat=True):
        if child_id in records:
            records[child_id]["verified"] = True
    return records


Change = tuple[int, dict[str, Any] | None, dict[str, Any] | None]


def queue_records_refresh(*, children: Iterable[int] | None) -> list[Change]:
    """Bring the records of `children` (None: every child) in line with the sources,
    in the caller's transaction (or one of its own). A child that left the queue's
    sources (no registration date, or deleted) loses its record.

    The children's rows are locked first, in id order: two transactions changing
    sources of one child (an officer confirming a claim in the admin while the
    parent adds a kindergarten) refresh one after the other, and the second reads
    what the first committed, so neither overwrites the other's change.

    Returns each refreshed child whose record changed, with its record before and
    after (None: none); a full rebuild returns nothing (it repairs, it tells no
    change)."""
    ids = None if children is None else sorted(set(children))
    if ids == []:
        return []
    with transaction.atomic():
        # Every child for a full rebuild: a refresh of one child committed while it
        # runs would otherwise be written over, or its keys written twice.
        children_rows = Child.objects.all() if ids is None else Child.objects.filter(pk__in=ids)
        list(children_rows.select_for_update().order_by("pk").values_list("pk", flat=True))
        return _rewrite(ids)


def _rewrite(ids: list[int] | None) -> list[Change]:
    records = records_compute(children=ids)
    before: dict[int, dict[str, Any]] = {}
    if ids is not None:
        before = {
            row[0]: dict(zip(FIELDS, row[1:], strict=True))
            for row in QueueRecord.objects.filter(pk__in=ids).values_list("child_id", *FIELDS)
        }
    if ids is None:
        QueueKey.objects.all().delete()
        QueueRecord.objects.exclude(pk__in=list(records)).delete()
    else:
        QueueKey.objects.filter(record__in=ids).delete()
        QueueRecord.objects.filter(pk__in=ids).exclude(pk__in=list(records)).delete()
    rows = [QueueRecord(child_id=pk, **values) for pk, values in records.items()]
    QueueRecord.objects.bulk_create(
        rows,
        batch_size=_BATCH,
        update_conflicts=True,
        unique_fields=["child"],
        update_fields=list(FIELDS),
    )
    rows_insert(QueueKey, KEY_FIELDS, _keys(records))
    if ids is None:
        return []
    return [
        (pk, before.get(pk), records.get(pk)) for pk in ids if before.get(pk) != records.get(pk)
    ]


def _last_days(pairs: list[list[Any]], column: Callable[[Any], str]) -> dict[str, dt.date | None]:
    until: dict[str, dt.date | None] = {}
    for what, last in pairs:
        day = NO_END if last is None else dt.date.fromisoformat(last)
        name = column(what)
        until[name] = max(day, until.get(name) or day)
    return until


def _tiers_until(privileges: list[list[Any]]) -> dict[str, dt.date | None]:
    """For each privilege tier, the last day a confirmed claim of it is in force
    (`NO_END` for a claim without an end, None without a claim): the database
    finds a child's tier on any date from these (`rule.py`)."""
    return dict.fromkeys(map(tier_column, TIERS)) | _last_days(
        privileges, lambda tier: tier_column(Tier(tier))
    )


def _referrals_until(referrals: list[list[Any]]) -> dict[str, dt.date | None]:
    """The same for each referral kind: the database finds a special group's queue."""
    return dict.fromkeys(map(referral_column, ReferralKind.values)) | _last_days(
        referrals, referral_column
    )


def _keys(records: dict[int, dict[str, Any]]) -> Iterator[tuple[Any, ...]]:
    """A key (`KEY_FIELDS`) for each kindergarten in whose queues the child may be:
    its choices, but for a child with a place only those ranked above it when the
    family keeps waiting (`queue.rank_limit`), and none otherwise."""
    for pk, values in records.items():
        choices, held = values["lists"]["choices"], values["lists"]["held"]
        limit = queued_choices(
            choices=choices,
            enrolled_in=best_held(held, choices),
            keep_waiting=values["keep_waiting"],
        )
        copies = tuple(values[name] for name in KEY_FIELDS[2:])
        for kindergarten in set(choices[:limit]):
            yield pk, kindergarten, *copies


def queue_records_check() -> list[int]:
    """Children whose record differs from its sources (missing, stale or orphaned)."""
    computed = records_compute(children=None)
    stored = {
        row[0]: dict(zip(FIELDS, row[1:], strict=True))
        for row in QueueRecord.objects.values_list("child_id", *FIELDS)
    }
    keys: defaultdict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for key in QueueKey.objects.values_list(*KEY_FIELDS):
        keys[key[0]].append(key)
    return sorted(
        pk
        for pk in computed.keys() | stored.keys() | keys.keys()
        if computed.get(pk) != stored.get(pk)
        or sorted(keys.get(pk, [])) != sorted(_keys({pk: computed[pk]} if pk in computed else {}))
    )


def queue_records_ensure() -> int:
    """Write the records of registered children who have none (a database from
    before the queue records, after `migrate`); the number written."""
    missing = list(
        Child.objects.filter(registered_at__isnull=False, queue_record__isnull=True)
        .exclude(status=ChildStatus.CLOSED)
        .values_list("pk", flat=True)
    )
    queue_records_refresh(children=missing)
    return len(missing)


def queue_records_audit() -> list[int]:
    """Compare every record with its sources and rewrite those that differ (a bug or
    a hand edit of the database would otherwise skew the queue unseen). Each finding
    is logged as an error with the children's ids, for an operator to look into."""
    differ = queue_records_check()
    if differ:
        queue_records_refresh(children=differ)
        logger.error(
            "queue records differed from their sources for %d children (ids %s); rewritten",
            len(differ),
            differ[:50],
        )
    return differ
