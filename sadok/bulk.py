"""Writing many rows at once: PostgreSQL's COPY where it runs, `bulk_create` elsewhere.

The September wave writes ~25,000 offers with their decisions, cabinet messages
and e-mail/SMS outbox rows in one transaction (benchmarks/allocation.py, (c)).
Building a Django model instance per row costs more than the database's own work,
so large batches go through COPY. Small batches (a head's "+1") are cheaper as
one ordinary INSERT. The embedded SQLite demo always takes `bulk_create`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models, transaction
from django.db.models import Q
from django.db.models.expressions import RawSQL
from psycopg import sql
from psycopg.types.json import Jsonb

# Below this many rows, one INSERT ... ON CONFLICT beats a COPY through a staging
# table; and one INSERT ... RETURNING beats reserving ids and a COPY.
COPY_FROM = 500


def _copying(rows: Sequence[Any], *, staged: bool = True) -> bool:
    """COPY for large batches; straight into the table (no staging table for
    conflicts) it is the cheaper statement at any size."""
    return connection.vendor == "postgresql" and len(rows) >= (COPY_FROM if staged else 1)


def among(field: str, ids: Iterable[int]) -> Q:
    """`field` is one of `ids`: on PostgreSQL as one array parameter, which the wave's
    25,000 ids need (an IN list of 25,000 placeholders costs more to build than
    the query takes to run)."""
    ids = list(ids)
    if connection.vendor == "postgresql":
        return Q(**{f"{field}__in": RawSQL("SELECT unnest(%s::bigint[])", (ids,))})
    return Q(**{f"{field}__in": ids})


def ids_reserve(model: type[models.Model], count: int) -> list[int]:
    """`count` new primary keys for `model`, taken from its sequence (PostgreSQL), so
    that rows written by COPY can be referred to at once."""
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, model._meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def rows_insert_with_ids(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]
) -> list[int]:
    """Insert `rows` like `rows_insert`, and return their new primary keys in order."""
    rows = list(rows)
    if _copying(rows):
        ids = ids_reserve(model, len(rows))
        key = model._meta.pk.name
        rows_insert(model, [key, *fields], ([pk, *row] for pk, row in zip(ids, rows, strict=True)))
        return ids
    return [obj.pk for obj in _bulk_create(model, fields, rows, ignore_conflicts=False)]


def _bulk_create(
    model: type[models.Model],
    fields: Sequence[str],
    rows: list[Sequence[Any]],
    *,
    ignore_conflicts: bool,
) -> list[models.Model]:
    return model._default_manager.bulk_create(
        (model(**dict(zip(fields, row, strict=True))) for row in rows),
        ignore_conflicts=ignore_conflicts,
        batch_size=5_000,
    )


def rows_insert(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    ignore_conflicts: bool = False,
) -> list[models.Model] | None:
    """Insert `rows` (values in the order of `fields`) into `model`'s table in the
    caller's transaction. With `ignore_conflicts`, a row that breaks a unique
    constraint is skipped, as `bulk_create(ignore_conflicts=True)` does.

    Returns the model instances when it went through `bulk_create` (small batches
    with conflicts to skip, other databases), None after a COPY."""
    rows = list(rows)
    if not rows:
        return []
    if not _copying(rows, staged=ignore_conflicts):
        return _bulk_create(model, fields, rows, ignore_conflicts=ignore_conflicts)
    with transaction.atomic(savepoint=False):  # the staging table lives until the commit
        _copy(model, fields, rows, ignore_conflicts=ignore_conflicts)
    return None


def _copy(
    model: type[models.Model],
    fields: Sequence[str],
    rows: list[Sequence[Any]],
    *,
    ignore_conflicts: bool,
) -> None:
    table = sql.Identifier(model._meta.db_table)
    names = [str(model._meta.get_field(f).column) for f in fields]  # type: ignore[union-attr]
    columns = sql.SQL(", ").join([sql.Identifier(name) for name in names])
    # psycopg's own cursor (Django's wrapper has no copy()), its errors raised as
    # Django's (IntegrityError, ...), as from any other query.
    with connection.cursor() as cursor, connection.wrap_database_errors:
        raw = cursor.cursor
        target = table
        if ignore_conflicts:
            # The columns' types without their constraints: a staging table.
            target = sql.Identifier(f"_bulk_{model._meta.db_table}")
            raw.execute(
                sql.SQL(
                    "CREATE TEMPORARY TABLE {} ON COMMIT DROP AS SELECT {} FROM {} WITH NO DATA"
                ).format(target, columns, table)
            )
        with raw.copy(sql.SQL("COPY {} ({}) FROM STDIN").format(target, columns)) as copy:
            for row in rows:
                # A dict is a JSON document (a JSONField's value), as `bulk_create` takes it.
                copy.write_row([Jsonb(v) if isinstance(v, dict) else v for v in row])
        if ignore_conflicts:
            raw.execute(
                sql.SQL("INSERT INTO {} ({}) SELECT {} FROM {} ON CONFLICT DO NOTHING").format(
                    table, columns, columns, target
                )
            )
            raw.execute(sql.SQL("DROP TABLE {}").format(target))
