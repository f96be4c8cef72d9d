"""What the database benchmarks share: the rows a run wrote and the same rows inserted
again (the baselines), a head's "+1"s one after another, and p95."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from typing import Any


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def rows_of(rows):  # type: ignore[no-untyped-def]
    """The rows of a queryset, without their ids, and the queryset to delete them."""
    fields = [f.attname for f in rows.model._meta.concrete_fields if not f.primary_key]
    return fields, list(rows.values_list(*fields)), rows


def reinsert(written, *, copy: bool) -> float:  # type: ignore[no-untyped-def]
    """Delete the rows, then insert them again and commit, timed: the same work the
    wave's transaction ends with (its commit checks the deferred foreign keys)."""
    from django.db import transaction

    from sadok import bulk

    with transaction.atomic():
        for _fields, _rows, queryset in reversed(list(written.values())):
            queryset.delete()
    start = time.perf_counter()
    with transaction.atomic():
        for model, (fields, rows, _queryset) in written.items():
            if copy:
                bulk.rows_insert(model, fields, rows)
            else:
                model.objects.bulk_create(
                    (model(**dict(zip(fields, row, strict=True))) for row in rows),
                    batch_size=10_000,
                )
    return time.perf_counter() - start


def open_groups() -> list[int]:
    """The groups a "+1" may go to: every group but the specialised ones."""
    from sadok.kindergartens.models import Group

    return list(Group.objects.filter(specialisation__isnull=True).values_list("pk", flat=True))


def plus_ones(rnd: random.Random, groups: list[int]) -> Iterator[tuple[float, Any]]:
    """ "+1"s declared one after another by heads of random groups with room (as
    `places_declare` runs in a web server's worker), endlessly: each one's time and
    the allocation run it started. A full group is passed over: its head would get an
    error, and no run."""
    from sadok.kindergartens.models import Group
    from sadok.offers.selectors import group_room
    from sadok.offers.services import places_declare

    while True:
        group = Group.objects.get(pk=rnd.choice(groups))
        if group_room(group=group).free < 1:
            continue
        t0 = time.perf_counter()
        run = places_declare(group=group, count=1, user=None)
        yield time.perf_counter() - t0, run
