"""Heavy reads on a read replica, everything else on the primary (docs/database.md).

A read goes to the `replica` alias only when all of these hold, checked at each query:
- the code asked for it by name: `with reading_from_replica("statement"):` (or as a decorator)
  around a heavy read path (statements, exports, HQ's control tower); nothing else ever does;
- a replica is configured (`DATABASE_REPLICA_URL`);
- this request or task has written nothing yet (an execute wrapper on the primary's connection
  sees every statement, ORM or raw SQL: the first INSERT, UPDATE, DELETE, DDL or SELECT ... FOR
  UPDATE pins the request or task to the primary until it ends), and no transaction is open on
  the primary (its reads may be read-modify-write);
- the replica answers and replays within `DATABASE_REPLICA_MAX_LAG_SECONDS`; its state is probed
  at most every `DATABASE_REPLICA_CHECK_SECONDS` per process (`DATABASE_REPLICA_RETRY_SECONDS`
  once found down), and /healthz reports it.
Otherwise the read goes to the primary: a replica that lags or is down slows HQ's reports down,
it never shows a store stale money or an error.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import OperationalError

REPLICA = "replica"
WRITING_STATEMENTS = frozenset(
    [
        "INSERT",
        "UPDATE",
        "DELETE",
        "MERGE",
        "COPY",
        "CREATE",
        "ALTER",
        "DROP",
        "TRUNCATE",
        "GRANT",
        "REVOKE",
        "LOCK",
        "VACUUM",
        "REINDEX",
        "CLUSTER",
        "REFRESH",
    ]
)

_read_path: ContextVar[str | None] = ContextVar("replica_read_path", default=None)
_pinned: ContextVar[bool] = ContextVar("pinned_to_primary", default=False)


@contextlib.contextmanager
def reading_from_replica(path: str) -> Iterator[None]:
    """Let the reads of the heavy read path `path` (a name for docs and logs) go to the replica
    when it is safe (the module's rules). Also a decorator."""
    token = _read_path.set(path)
    try:
        yield
    finally:
        _read_path.reset(token)


def pin_to_primary() -> None:
    """This request or task wrote: its later reads must see the write, so the primary."""
    _pinned.set(True)


def start_unit_of_work(**_: Any) -> None:
    """A new request or task starts unpinned (connected to request_started and task_prerun)."""
    _pinned.set(False)


def replica_configured() -> bool:
    return REPLICA in connections.settings


def read_alias() -> str:
    """The alias the reads of this moment go to: for code that opens its own transaction or
    cursor inside `reading_from_replica` (the control tower's planner settings)."""
    if (
        _read_path.get() is None
        or _pinned.get()
        or not replica_configured()
        or connections[DEFAULT_DB_ALIAS].in_atomic_block
    ):
        return DEFAULT_DB_ALIAS
    return REPLICA if replica_state().usable else DEFAULT_DB_ALIAS


class ReplicaRouter:
    """Django's database router for the rules above. Writes and migrations: the primary only."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        # Explicit even off the replica: Django would otherwise follow an instance's own alias
        # (a row read on the replica would lead its related reads there).
        return read_alias()

    def db_for_write(self, model: Any, **hints: Any) -> str:
        # Not a pin by itself: Django asks this for a get_or_create that only reads, too; the
        # statements that do write pin (`pin_on_writing_sql`).
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        # A row read on the replica is the same row as on the primary.
        return True if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA} else None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return False if db == REPLICA else None


def writes(sql: str) -> bool:
    """Whether a statement writes or locks rows: its first word, or a data-modifying `WITH`
    (the ledger books an entry and its lines in one `WITH ... INSERT` statement)."""
    words = sql.upper().split()
    if not words:
        return False
    if words[0] in WRITING_STATEMENTS:
        return True
    if words[0] == "WITH":
        return any(word.lstrip("(") in WRITING_STATEMENTS for word in words)
    return words[0] == "SELECT" and "FOR" in words


def pin_on_writing_sql(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    """The primary's execute wrapper: a statement that writes (or locks rows to) pins this
    request or task to the primary."""
    if writes(sql):
        pin_to_primary()
    return execute(sql, params, many, context)


def mark_down_on_error(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    """The replica's execute wrapper: a replica that fails a query is not used again until the
    next probe finds it back, so one failure costs one request, not every one until then."""
    try:
        return execute(sql, params, many, context)
    except OperationalError as exc:  # lost connection, or cancelled by a conflict with recovery
        _remember(ReplicaState("down", None, f"{type(exc).__name__}: {exc}"[:300]))
        raise


def watch_connection(sender: Any, connection: Any, **_: Any) -> None:
    """connection_created: the wrappers above on each new primary and replica connection."""
    wrapper = {DEFAULT_DB_ALIAS: pin_on_writing_sql, REPLICA: mark_down_on_error}.get(
        connection.alias
    )
    if wrapper is not None and wrapper not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, wrapper)


@dataclass(frozen=True)
class ReplicaState:
    status: str  # "ok", "lagging" or "down"
    lag_seconds: float | None
    detail: str

    @property
    def usable(self) -> bool:
        return self.status == "ok"


_state_lock = threading.Lock()
_state: tuple[float, ReplicaState] | None = None

LAG_SQL = """
SELECT pg_is_in_recovery(),
       CASE WHEN COALESCE(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())
                 = pg_last_wal_replay_lsn() THEN 0
            ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END,
       pg_is_in_recovery() AND pg_is_wal_replay_paused()
"""


def replica_state(*, refresh: bool = False) -> ReplicaState:
    """The replica's state, probed at most every few seconds per process (`refresh`: now)."""
    with _state_lock:
        known = _state
    if not refresh and known is not None and time.monotonic() < known[0]:
        return known[1]
    return _remember(probe_replica())


def forget_replica_state() -> None:
    """Probe again at the next read (tests, and after an operator's repair)."""
    global _state
    with _state_lock:
        _state = None


def _remember(state: ReplicaState) -> ReplicaState:
    global _state
    wait = (
        settings.DATABASE_REPLICA_RETRY_SECONDS
        if state.status == "down"
        else settings.DATABASE_REPLICA_CHECK_SECONDS
    )
    with _state_lock:
        _state = (time.monotonic() + wait, state)
    return state


def probe_replica() -> ReplicaState:
    """How far behind the primary the replica replays: 0 when it has replayed all it received,
    else the age of the last transaction it replayed (PostgreSQL's usual measure)."""
    limit = settings.DATABASE_REPLICA_MAX_LAG_SECONDS
    replica = connections[REPLICA]
    try:
        with replica.cursor() as cursor:
            cursor.execute(LAG_SQL)
            in_recovery, lag, paused = cursor.fetchone()
    except Exception as exc:
        replica.close_if_unusable_or_obsolete()
        return ReplicaState("down", None, f"unreachable: {type(exc).__name__}: {exc}"[:300])
    if not in_recovery:
        return ReplicaState("down", None, "not a standby (pg_is_in_recovery() is false)")
    if lag is None:
        return ReplicaState("lagging", None, "behind the primary, no transaction replayed yet")
    lag = float(lag)
    state = "ok" if lag <= limit else "lagging"
    paused_note = "; replay paused" if paused else ""
    return ReplicaState(state, round(lag, 3), f"{lag:.1f} s behind (limit {limit} s){paused_note}")
