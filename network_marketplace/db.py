"""Database helpers every app shares."""

from __future__ import annotations

import contextlib
from typing import Any

from django.db import connection, models, transaction
from django.db.models.constants import OnConflict
from django.db.models.sql import InsertQuery


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
