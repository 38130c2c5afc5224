"""Database helpers every app shares."""

from __future__ import annotations

import contextlib
from typing import Any

from django.db import connection, transaction


def atomic_once() -> Any:
    """A transaction when none is open, else nothing: for a block that must be all or nothing
    but never rolls back on its own, inside a caller's transaction a savepoint would only cost
    two round trips (SAVEPOINT, RELEASE)."""
    return contextlib.nullcontext() if connection.in_atomic_block else transaction.atomic()
