"""Database helpers every app shares."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Sequence
from typing import Any, TypeVar

from django.db import connection, connections, models, transaction
from django.db.models.constants import OnConflict
from django.db.models.sql import InsertQuery

M = TypeVar("M", bound=models.Model)


def atomic_once() -> Any:
    """A transaction when none is open, else nothing: for a block that must be all or nothing
    but never rolls back on its own, inside a caller's transaction a savepoint would only cost
    two round trips (SAVEPOINT, RELEASE)."""
    return contextlib.nullcontext() if connection.in_atomic_block else transaction.atomic()


def hand_over_related(row: models.Model, related_name: str, objects: list) -> None:
    """`row.<related_name>.all()` gives `objects` without a query, as a prefetch would: for
    rows a service has just written with their related rows in hand. Any other use of the
    manager (filter, get, values) queries afresh."""
    queryset = getattr(row, related_name).all()
    queryset._result_cache = objects
    queryset._prefetch_done = True
    row.__dict__.setdefault("_prefetched_objects_cache", {})[related_name] = queryset


def insert_unless_taken(instance: models.Model) -> bool:
    """INSERT `instance` with `ON CONFLICT DO NOTHING`: True when it was written (its primary
    key is set), False when a unique key of the table was already taken (nothing changed).

    One statement instead of a SELECT, or of a savepoint around an INSERT that may fail: for
    idempotency keys (an outbox message's dedupe key, a journal entry's reference).
    """
    meta = instance._meta
    # A serial key is the database's to give; a key with a Python default (a UUID) is written.
    serial = isinstance(meta.pk, models.AutoField | models.BigAutoField | models.SmallAutoField)
    fields = [field for field in meta.local_concrete_fields if not (serial and field is meta.pk)]
    query = InsertQuery(meta.model, on_conflict=OnConflict.IGNORE)
    query.insert_values(fields, [instance])
    compiler = query.get_compiler(using=instance._state.db or "default")
    compiler.returning_fields = [meta.pk]
    [(sql, params)] = compiler.as_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return False
    instance.pk = row[0]
    instance._state.adding = False
    instance._state.db = compiler.using
    return True


def select_columns(model: type[models.Model], alias: str) -> str:
    """`alias.col, ...` of the model's concrete fields, in their order: the SELECT list of a
    hand-written query whose row `model_from_row` turns into the model."""
    return ", ".join(f"{alias}.{field.column}" for field in model._meta.concrete_fields)


@functools.cache
def _converters(model: type[models.Model], using: str) -> list[tuple[Any, list]]:
    db = connections[using]
    columns = [field.get_col(model._meta.db_table) for field in model._meta.concrete_fields]
    return [(col, db.ops.get_db_converters(col) + col.get_db_converters(db)) for col in columns]


def model_from_row(model: type[M], values: Sequence[Any], *, using: str) -> M:
    """The instance of a row selected by `select_columns`, its values converted as the ORM
    would (JSON, decimals, dates): for a query written by hand on a hot path, where building
    the ORM's query cost more than running it."""
    db = connections[using]
    converted = []
    for value, (col, converters) in zip(values, _converters(model, using), strict=True):
        for converter in converters:
            value = converter(value, col, db)
        converted.append(value)
    names = [field.attname for field in model._meta.concrete_fields]
    return model.from_db(using, names, converted)
