"""The bulk path of a stock feed on PostgreSQL: COPY into a temporary table, set-based checks,
then set-based writes (lock, movements, upsert), with no per-row ORM save; a large batch is split
into SKU ranges applied side by side by their own connections.

Python walks the rows once to hand them to COPY as typed values (a JSON integer is taken as it
is; anything else goes through the parsers of feed_rows, which word the errors); the checks that
need the catalogue (unknown SKUs, HQ's price bounds) and the duplicates are set-based queries
over the temporary table, naming rows like the parsers do.
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from catalog.models import PriceHistory
from catalog.money import format_cents
from catalog.selectors import category_percent_bounds
from network_marketplace.audit import actor_label

from ..models import StockLevel, StockMovement, Store
from .feed_rows import (
    INT_MAX,
    MAX_REPORTED_ERRORS,
    POSITION_MAX,
    FeedResult,
    RowError,
    StockFeedRejected,
    feed_sku,
    parse_int,
    parse_position,
    parse_price_cents,
)
from .stock import effective_safety_stock

_STAGE_SQL = """
CREATE TEMP TABLE feed_checked ON COMMIT DROP AS
SELECT r.row_no, r.sku, r.bad, r.on_hand, r.price_cents, r.position, v.id AS variant_id,
       CASE WHEN r.price_cents IS NULL THEN NULL
            WHEN v.min_price_cents IS NOT NULL OR v.max_price_cents IS NOT NULL
            THEN v.min_price_cents ELSE round(v.rrp_cents * b.low / 100) END AS low,
       CASE WHEN r.price_cents IS NULL THEN NULL
            WHEN v.min_price_cents IS NOT NULL OR v.max_price_cents IS NOT NULL
            THEN v.max_price_cents ELSE round(v.rrp_cents * b.high / 100) END AS high
FROM feed_raw r
LEFT JOIN catalog_variant v ON v.sku = r.sku AND v.is_active
LEFT JOIN catalog_product p ON r.price_cents IS NOT NULL AND p.id = v.product_id
LEFT JOIN unnest(%s::bigint[], %s::numeric[], %s::numeric[]) AS b (category_id, low, high)
    ON b.category_id = p.category_id
"""

# A row's errors come in the parsers' order: the SKU (rank 0) before the bounds (rank 4).
_ERRORS_SQL = """
SELECT row_no, field, code, arg, count(*) OVER () FROM (
    SELECT row_no, 0 AS rank, 'sku' AS field,
           CASE WHEN sku IS NULL OR sku = '' THEN 'required' ELSE 'unknown' END AS code,
           sku AS arg
    FROM feed_checked WHERE variant_id IS NULL
    UNION ALL
    SELECT row_no, 4, 'price', CASE WHEN price_cents < low THEN 'below' ELSE 'above' END,
           (CASE WHEN price_cents < low THEN low ELSE high END)::text
    FROM feed_checked WHERE price_cents < low OR price_cents > high
) AS failed
ORDER BY row_no, rank LIMIT %s
"""

# The same SKU twice at the same position with other values: which one is meant is unknown.
_AMBIGUOUS_SQL = """
WITH valid AS (
    SELECT row_no, variant_id, on_hand, price_cents, position FROM feed_checked
    WHERE NOT bad AND variant_id IS NOT NULL
      AND NOT COALESCE(price_cents < low OR price_cents > high, false)
)
SELECT b.row_no, 'sequence', 'same_position', min(a.row_no)::text
FROM valid a JOIN valid b ON a.variant_id = b.variant_id AND a.position = b.position
    AND a.row_no < b.row_no
    AND (a.on_hand, a.price_cents) IS DISTINCT FROM (b.on_hand, b.price_cents)
GROUP BY b.row_no ORDER BY b.row_no LIMIT %s
"""


def _sql_error(row_no: int, field_name: str, code: str, arg: str | None) -> RowError:
    if code == "required":
        message = _("The SKU is required.")
    elif code == "unknown":
        message = _("Unknown SKU: %(sku)s.") % {"sku": arg}
    elif code == "below":
        message = _("Below HQ's lowest price, %(bound)s.") % {"bound": format_cents(int(arg))}
    elif code == "above":
        message = _("Above HQ's highest price, %(bound)s.") % {"bound": format_cents(int(arg))}
    else:
        message = _("Same SKU and position as row %(row)s with other values.") % {"row": arg}
    return RowError(row_no, field_name, message)


def _staged(
    numbered_rows: Iterable[tuple[int, Any]], errors: list[RowError], skus: set[str]
) -> Iterator[tuple]:
    """The rows as COPY tuples (row, sku, on_hand, price_cents, position, bad?); a row with
    errors goes too (its values empty, `bad` set), so that SQL still checks its SKU."""
    int_max = INT_MAX
    for index, raw in numbered_rows:
        if type(raw) is not dict and not isinstance(raw, dict):
            errors.append(RowError(index, "row", _("Each row must be an object.")))
            continue
        row = raw.get("_row", index)
        sku = feed_sku(raw)
        skus.add(sku)
        on_hand = raw.get("on_hand")
        position = raw.get("sequence")
        if (
            type(on_hand) is int
            and 0 <= on_hand <= int_max
            and type(position) is int
            and 0 <= position <= POSITION_MAX
            and raw.get("price_cents") is None
            and raw.get("price") is None
        ):
            yield (row, sku, on_hand, None, position, False)
            continue
        count_before = len(errors)
        if type(on_hand) is not int or not 0 <= on_hand <= int_max:
            on_hand = parse_int(
                on_hand, row=row, field_name="on_hand", errors=errors, maximum=int_max
            )
        if raw.get("price_cents") is None and raw.get("price") is None:
            price_cents = None
        else:
            price_cents = parse_price_cents(raw, row=row, errors=errors)
        if type(position) is not int or not 0 <= position <= POSITION_MAX:
            position = parse_position(raw, row=row, errors=errors)
        if len(errors) == count_before:
            yield (row, sku, on_hand, price_cents, position, False)
        else:
            yield (row, sku, None, None, None, True)


@dataclass(frozen=True)
class _BulkPlan:
    """What every part of a bulk batch needs, read once before the batch is staged."""

    store_id: int
    safety_stock: int
    percent_bounds: dict
    source: str
    reference: str
    actor_label: str


@dataclass
class _StagedPart:
    """One part of a batch staged in a session's temporary tables, checked, then applied."""

    rows: int
    errors: list[RowError]
    error_count: int
    has_prices: bool = False
    applied: int = 0
    movements: int = 0


def _bulk_plan(store: Store, source: str, reference: str, actor: Any) -> _BulkPlan:
    return _BulkPlan(
        store_id=store.pk,
        safety_stock=effective_safety_stock(store),
        percent_bounds=category_percent_bounds(),
        source=source,
        reference=reference,
        actor_label=actor_label(actor),
    )


def apply_bulk_postgresql(
    store: Store, rows: list, source: str, reference: str, actor: Any, result: FeedResult
) -> None:
    """The whole batch in the caller's transaction, on its connection."""
    result.bulk = True
    plan = _bulk_plan(store, source, reference, actor)
    with connection.cursor() as cursor:
        part = _stage_and_check(cursor, enumerate(rows, start=1), len(rows), plan)
        if part.error_count:
            raise StockFeedRejected(part.errors, error_count=part.error_count)
        _apply_staged(cursor, part, plan)
    result.applied, result.movements = part.applied, part.movements


def _stage_and_check(
    cursor: Any, numbered_rows: Iterable[tuple[int, Any]], row_count: int, plan: _BulkPlan
) -> _StagedPart:
    """COPY the rows into this session's temporary tables and find every bad row."""
    errors: list[RowError] = []
    skus: set[str] = set()
    bounds = plan.percent_bounds
    # For this transaction only: no JIT compilation (it costs more than it saves on these
    # one-off statements) and room to sort and hash 100,000 rows in memory.
    cursor.execute("SELECT set_config('jit', 'off', true), set_config('work_mem', '64MB', true)")
    cursor.execute("DROP TABLE IF EXISTS feed_raw, feed_checked, feed_rows")
    cursor.execute(
        "CREATE TEMP TABLE feed_raw (row_no integer NOT NULL, sku text, on_hand integer,"
        " price_cents bigint, position bigint, bad boolean NOT NULL) ON COMMIT DROP"
    )
    with cursor.copy(
        "COPY feed_raw (row_no, sku, on_hand, price_cents, position, bad) FROM STDIN"
    ) as copy:
        write_row = copy.write_row
        for staged in _staged(numbered_rows, errors, skus):
            write_row(staged)
    cursor.execute(
        _STAGE_SQL,
        [
            list(bounds),
            [low for low, _high in bounds.values()],
            [high for _low, high in bounds.values()],
        ],
    )
    cursor.execute(_ERRORS_SQL, [MAX_REPORTED_ERRORS])
    found = cursor.fetchall()
    error_count = len(errors) + (found[0][4] if found else 0)
    found = [error[:4] for error in found]
    duplicates = len(skus) < row_count
    if duplicates:
        cursor.execute(_AMBIGUOUS_SQL, [MAX_REPORTED_ERRORS])
        ambiguous = cursor.fetchall()
        error_count += len(ambiguous)
        found += ambiguous
    if error_count:
        errors += [_sql_error(*error) for error in found]
        errors.sort(key=lambda error: error.row)
        return _StagedPart(rows=row_count, errors=errors, error_count=error_count)
    cursor.execute("SELECT EXISTS (SELECT 1 FROM feed_checked WHERE price_cents IS NOT NULL)")
    has_prices = cursor.fetchone()[0]
    if duplicates:
        # One row per variant, the newest position winning.
        cursor.execute(
            "CREATE TEMP TABLE feed_rows ON COMMIT DROP AS SELECT DISTINCT ON (variant_id)"
            " variant_id, on_hand, price_cents, position FROM feed_checked"
            " ORDER BY variant_id, position DESC"
        )
    else:
        cursor.execute("ALTER TABLE feed_checked RENAME TO feed_rows")
    cursor.execute("ANALYZE feed_rows")
    return _StagedPart(rows=row_count, errors=[], error_count=0, has_prices=has_prices)


def _apply_staged(cursor: Any, part: _StagedPart, plan: _BulkPlan) -> None:
    """Lock, write the movements and upsert the stock rows staged in `feed_rows`."""
    level_table = StockLevel._meta.db_table
    movement_table = StockMovement._meta.db_table
    history_table = PriceHistory._meta.db_table
    store_id, source = plan.store_id, plan.source
    # Lock the rows this batch may change, in variant order like every stock writer, and
    # write the movements from the locked (current) quantities: one pass over the rows.
    # A batch with prices also writes the price history of the offers whose price changes
    # (a CTE over the same locked rows); a batch without prices does not pay for it.
    priced = (
        f", priced AS (INSERT INTO {history_table} (variant_id, store_id, price_cents,"  # noqa: S608
        " started_at, source) SELECT f.variant_id, %s, f.price_cents, now(), %s"
        " FROM feed_rows f LEFT JOIN locked l ON l.variant_id = f.variant_id"
        " WHERE f.price_cents IS NOT NULL AND (l.id IS NULL OR (l.feed_position < f.position"
        " AND f.price_cents IS DISTINCT FROM l.price_cents)))"
        if part.has_prices
        else ""
    )
    cursor.execute(
        f"WITH locked AS MATERIALIZED (SELECT s.id, s.variant_id, s.on_hand, s.feed_position,"  # noqa: S608
        f" s.price_cents FROM {level_table} s JOIN feed_rows f ON f.variant_id = s.variant_id"
        f" WHERE s.store_id = %s ORDER BY s.variant_id FOR UPDATE OF s){priced}"
        f" INSERT INTO {movement_table} (store_id, variant_id, delta, on_hand_after, reason,"
        " source, reference, actor_label, created_at)"
        " SELECT %s, f.variant_id, f.on_hand - COALESCE(l.on_hand, 0), f.on_hand, %s, %s, %s,"
        " %s, now() FROM feed_rows f LEFT JOIN locked l ON l.variant_id = f.variant_id"
        " WHERE (l.id IS NULL OR l.feed_position < f.position)"
        " AND f.on_hand <> COALESCE(l.on_hand, 0)",
        [
            store_id,
            *([store_id, source] if part.has_prices else []),
            store_id,
            StockMovement.Reason.FEED,
            source,
            plan.reference,
            plan.actor_label,
        ],
    )
    part.movements = cursor.rowcount
    # The rows the store already has (locked above): a plain UPDATE, cheaper than an upsert.
    cursor.execute(
        f"UPDATE {level_table} s SET on_hand = f.on_hand,"  # noqa: S608
        " price_cents = COALESCE(f.price_cents, s.price_cents),"
        " feed_position = f.position, updated_at = now() FROM feed_rows f"
        " WHERE s.store_id = %s AND s.variant_id = f.variant_id"
        " AND s.feed_position < f.position",
        [store_id],
    )
    part.applied = cursor.rowcount
    # The rows it lists for the first time; ON CONFLICT covers a concurrent first listing.
    cursor.execute(
        f"INSERT INTO {level_table} AS s (store_id, variant_id, on_hand, reserved,"  # noqa: S608
        " safety_stock, price_cents, feed_position, updated_at)"
        " SELECT %s, f.variant_id, f.on_hand, 0, %s, f.price_cents, f.position, now()"
        f" FROM feed_rows f WHERE NOT EXISTS (SELECT 1 FROM {level_table} e"
        " WHERE e.store_id = %s AND e.variant_id = f.variant_id) ORDER BY f.variant_id"
        " ON CONFLICT (store_id, variant_id) DO UPDATE SET on_hand = EXCLUDED.on_hand,"
        " price_cents = COALESCE(EXCLUDED.price_cents, s.price_cents),"
        " feed_position = EXCLUDED.feed_position, updated_at = EXCLUDED.updated_at"
        " WHERE s.feed_position < EXCLUDED.feed_position",
        [store_id, plan.safety_stock, store_id],
    )
    part.applied += cursor.rowcount
    cursor.execute("DROP TABLE IF EXISTS feed_raw, feed_checked, feed_rows")


# Large batches in parallel parts: on a machine with several cores, one PostgreSQL backend
# applying 100,000 rows is CPU-bound (about 3 s here); the same batch split into disjoint SKU
# ranges, each staged, checked and applied by its own connection, takes the wall-clock time
# of its largest part. The parts wait for each other once, after the checks and before any
# row is locked: a bad row anywhere rejects the whole batch and nothing is applied. Then each
# part locks its rows in variant order and commits on its own, so no part ever waits for
# another while it holds locks (such a wait is invisible to PostgreSQL's deadlock detector).
# What this gives up: the parts' commits are not one. If the database fails between them the
# batch is applied in part; sending it again applies the rest (positions make that safe).

PARALLEL_FEED_MIN_ROWS = 20_000
PARALLEL_FEED_CHECK_TIMEOUT = 120  # seconds a part waits for the others' checks


def parallel_parts(row_count: int) -> int:
    """How many connections apply a batch of `row_count` rows (1: the caller's alone)."""
    workers = getattr(settings, "STOCK_FEED_WORKERS", 1)
    if workers < 2 or row_count < PARALLEL_FEED_MIN_ROWS or connection.in_atomic_block:
        return 1
    return min(workers, row_count // (PARALLEL_FEED_MIN_ROWS // 2))


def _split_by_sku(rows: list, parts: int) -> list[list[tuple[int, Any]]]:
    """The numbered rows in `parts` disjoint SKU ranges (all rows of a SKU in one part, so
    duplicates are resolved and checked within it), cut at quantiles of a sample."""
    sample = sorted(feed_sku(raw) for raw in rows[:: max(1, len(rows) // 1000)])
    pivots = sorted({sample[len(sample) * k // parts] for k in range(1, parts)})
    chunks: list[list[tuple[int, object]]] = [[] for _ in range(len(pivots) + 1)]
    for index, raw in enumerate(rows, start=1):
        chunks[bisect_right(pivots, feed_sku(raw))].append((index, raw))
    return [chunk for chunk in chunks if chunk]


def apply_bulk_in_parts(
    store: Store,
    rows: list,
    source: str,
    reference: str,
    actor: Any,
    result: FeedResult,
    parts: int,
) -> None:
    result.bulk = True
    plan = _bulk_plan(store, source, reference, actor)
    chunks = _split_by_sku(rows, parts)
    checked = threading.Barrier(len(chunks), timeout=PARALLEL_FEED_CHECK_TIMEOUT)
    staged: list[_StagedPart | None] = [None] * len(chunks)
    # Row errors speak the caller's language: a new thread starts with none active.
    language = translation.get_language()

    def apply_part(number: int) -> None:
        try:
            with (
                translation.override(language),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                chunk = chunks[number]
                part = staged[number] = _stage_and_check(cursor, iter(chunk), len(chunk), plan)
                checked.wait()
                if any(other.error_count for other in staged):
                    transaction.set_rollback(True)
                    return
                _apply_staged(cursor, part, plan)
        except BaseException:
            checked.abort()
            raise
        finally:
            connection.close()  # this thread's own connection

    with ThreadPoolExecutor(len(chunks), thread_name_prefix="stock-feed") as pool:
        futures = [pool.submit(apply_part, number) for number in range(len(chunks))]
    failures = [future.exception() for future in futures if future.exception()]
    if failures:
        # The part that failed, not the parts that saw the barrier break because of it.
        raise next(
            (error for error in failures if not isinstance(error, threading.BrokenBarrierError)),
            failures[0],
        )
    error_count = sum(part.error_count for part in staged)
    if error_count:
        errors = sorted((error for part in staged for error in part.errors), key=lambda e: e.row)
        raise StockFeedRejected(errors, error_count=error_count)
    result.applied = sum(part.applied for part in staged)
    result.movements = sum(part.movements for part in staged)
