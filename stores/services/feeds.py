"""Stock and price feeds from a store's POS or ERP: by API (JSON rows) or by file (CSV/XLSX).

A feed row is `sku, on_hand, price?, sequence | source_timestamp`. The rules:
- the whole batch is validated first; any bad row rejects the batch (nothing applied) and every
  error is reported with its row number and field;
- each stock row remembers the position (sequence, or source timestamp in microseconds) of the last
  row applied to it: a row whose position is not newer is ignored, so replays and out-of-order
  deliveries never move stock backwards. A store's feed uses sequences or timestamps, not both;
- on PostgreSQL the batch goes through a bulk path: COPY into a temporary table, then set-based
  statements (lock, movements, upsert), with no per-row ORM save.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import UTC, datetime
from operator import itemgetter

from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from catalog.money import AmountError, format_cents, parse_euros
from catalog.selectors import variant_refs_by_sku
from network_marketplace.audit import actor_label, record_audit_event
from network_marketplace.errors import DomainError

from ..models import StockLevel, StockMovement, Store
from .stock import effective_safety_stock

MAX_REPORTED_ERRORS = 500
MAX_FEED_ROWS = 200_000
FEED_COLUMNS = ("sku", "on_hand", "price", "price_cents", "sequence", "source_timestamp")


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "field": self.field, "message": self.message}


class StockFeedRejected(DomainError):
    """The feed has errors: nothing of it was applied."""

    code = "feed_rejected"
    http_status = 400

    def __init__(self, errors: list[RowError], message: str = ""):
        super().__init__(
            message
            or _("%(count)s error(s) in the feed: nothing was applied.") % {"count": len(errors)}
        )
        self.errors = errors[:MAX_REPORTED_ERRORS]
        self.error_count = len(errors)


@dataclass(frozen=True)
class FeedRow:
    row: int
    sku: str
    on_hand: int
    price_cents: int | None
    position: int


@dataclass
class FeedResult:
    received: int = 0
    applied: int = 0
    ignored_stale: int = 0
    movements: int = 0
    bulk: bool = False
    errors: list[RowError] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "received": self.received,
            "applied": self.applied,
            "ignored_stale": self.ignored_stale,
            "movements": self.movements,
        }


# Reading files ----------------------------------------------------------------------------


def read_feed_file(uploaded) -> list[dict]:
    """Rows of a CSV (comma or semicolon, UTF-8) or XLSX upload, as dicts with a `_row` number
    (the line in the file, the header being line 1). Raises StockFeedRejected for a bad file."""
    name = (getattr(uploaded, "name", "") or "").lower()
    data = uploaded.read()
    if not data:
        raise StockFeedRejected([RowError(0, "file", _("The file is empty."))])
    if name.endswith(".xlsx") or data[:4] == b"PK\x03\x04":
        return _read_xlsx(data)
    if name and not name.endswith((".csv", ".txt")):
        raise StockFeedRejected([RowError(0, "file", _("Send a CSV or an XLSX file."))])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise StockFeedRejected(
            [RowError(0, "file", _("The file is not UTF-8 text: export it as CSV UTF-8."))]
        ) from None
    return _read_csv(text)


def _normalise_header(values) -> list[str]:
    return [str(value or "").strip().lower().replace(" ", "_") for value in values]


def _check_header(header: list[str]) -> None:
    missing = [column for column in ("sku", "on_hand") if column not in header]
    if "sequence" not in header and "source_timestamp" not in header:
        missing.append("sequence|source_timestamp")
    if missing:
        raise StockFeedRejected(
            [
                RowError(1, column, _("Missing column: %(column)s.") % {"column": column})
                for column in missing
            ]
        )


def _read_csv(text: str) -> list[dict]:
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = _normalise_header(next(reader))
    except StopIteration:
        raise StockFeedRejected([RowError(0, "file", _("The file is empty."))]) from None
    _check_header(header)
    rows = []
    for line_number, values in enumerate(reader, start=2):
        if not any(value.strip() for value in values):
            continue
        rows.append({"_row": line_number, **dict(zip(header, values, strict=False))})
    return rows


def _read_xlsx(data: bytes) -> list[dict]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise StockFeedRejected(
            [RowError(0, "file", _("The file is not a readable XLSX workbook."))]
        ) from None
    sheet = workbook.worksheets[0]
    lines = sheet.iter_rows(values_only=True)
    try:
        header = _normalise_header(next(lines))
    except StopIteration:
        raise StockFeedRejected([RowError(0, "file", _("The file is empty."))]) from None
    _check_header(header)
    rows = []
    for line_number, values in enumerate(lines, start=2):
        if not any(value not in (None, "") for value in values):
            continue
        cells = {
            key: ("" if value is None else value)
            for key, value in zip(header, values, strict=False)
        }
        rows.append({"_row": line_number, **cells})
    workbook.close()
    return rows


# Validating ---------------------------------------------------------------------------------


def _parse_int(value, *, row, field_name, errors, minimum=0) -> int | None:
    if isinstance(value, bool):
        value = None
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        text = str(value if value is not None else "").strip()
        if not text.lstrip("-").isdigit():
            errors.append(RowError(row, field_name, _("A whole number is expected.")))
            return None
        number = int(text)
    if number < minimum:
        errors.append(
            RowError(row, field_name, _("The value must be %(min)s or more.") % {"min": minimum})
        )
        return None
    return number


def _parse_price_cents(raw: dict, *, row, errors) -> int | None:
    """`price_cents` (integer) or `price` (euros, dot or comma decimal); empty means no change."""
    cents = raw.get("price_cents")
    if cents not in (None, ""):
        return _parse_int(cents, row=row, field_name="price_cents", errors=errors, minimum=1)
    price = raw.get("price")
    if price in (None, ""):
        return None
    try:
        cents = parse_euros(price)
    except AmountError as error:
        errors.append(RowError(row, "price", str(error)))
        return None
    if cents <= 0:
        errors.append(RowError(row, "price", _("A price must be above zero.")))
        return None
    return cents


def _parse_position(raw: dict, *, row, errors) -> int | None:
    if raw.get("sequence") not in (None, ""):
        return _parse_int(raw["sequence"], row=row, field_name="sequence", errors=errors)
    stamp = raw.get("source_timestamp")
    if stamp in (None, ""):
        errors.append(RowError(row, "sequence", _("A sequence or a source_timestamp is required.")))
        return None
    moment = stamp if isinstance(stamp, datetime) else parse_datetime(str(stamp).strip())
    if moment is None:
        errors.append(
            RowError(row, "source_timestamp", _("An ISO 8601 date and time is expected."))
        )
        return None
    if moment.tzinfo is None:
        errors.append(
            RowError(row, "source_timestamp", _("The time zone is missing (e.g. +01:00 or Z)."))
        )
        return None
    return int(moment.astimezone(UTC).timestamp() * 1_000_000)


def validate_feed_rows(raw_rows: list[dict]) -> tuple[list[FeedRow], dict, list[RowError]]:
    """Parse and check every row; returns the rows, the variant refs by SKU and the errors."""
    errors: list[RowError] = []
    if not raw_rows:
        return [], {}, [RowError(0, "rows", _("The feed has no rows."))]
    if len(raw_rows) > MAX_FEED_ROWS:
        return (
            [],
            {},
            [RowError(0, "rows", _("At most %(max)s rows per feed.") % {"max": MAX_FEED_ROWS})],
        )
    skus = [
        str(raw.get("sku", "") or "").strip() if isinstance(raw, dict) else "" for raw in raw_rows
    ]
    refs = variant_refs_by_sku(sku for sku in skus if sku)
    parsed: list[FeedRow] = []
    for index, (raw, sku) in enumerate(zip(raw_rows, skus, strict=True), start=1):
        if not isinstance(raw, dict):
            errors.append(RowError(index, "row", _("Each row must be an object.")))
            continue
        row = raw.get("_row", index)
        count_before = len(errors)
        if not sku:
            errors.append(RowError(row, "sku", _("The SKU is required.")))
        elif sku not in refs:
            errors.append(RowError(row, "sku", _("Unknown SKU: %(sku)s.") % {"sku": sku}))
        # Fast paths for what an API client sends (JSON integers, no price); the parsers
        # handle everything else and word the errors.
        on_hand = raw.get("on_hand")
        if type(on_hand) is not int or on_hand < 0:
            on_hand = _parse_int(on_hand, row=row, field_name="on_hand", errors=errors)
        if raw.get("price_cents") is None and raw.get("price") is None:
            price_cents = None
        else:
            price_cents = _parse_price_cents(raw, row=row, errors=errors)
        position = raw.get("sequence")
        if type(position) is not int or position < 0:
            position = _parse_position(raw, row=row, errors=errors)
        if price_cents is not None and sku in refs:
            bounds = refs[sku].bounds
            if bounds.min_cents is not None and price_cents < bounds.min_cents:
                errors.append(RowError(row, "price", _("Below HQ's lowest price, %(bound)s.")
                                       % {"bound": format_cents(bounds.min_cents)}))  # fmt: skip
            elif bounds.max_cents is not None and price_cents > bounds.max_cents:
                errors.append(RowError(row, "price", _("Above HQ's highest price, %(bound)s.")
                                       % {"bound": format_cents(bounds.max_cents)}))  # fmt: skip
        if len(errors) == count_before:
            parsed.append(FeedRow(row, sku, on_hand, price_cents, position))
    # One SKU twice in a batch: the newer position wins; the same position twice is ambiguous.
    latest: dict[str, FeedRow] = {}
    for feed_row in parsed:
        kept = latest.get(feed_row.sku)
        if kept is None or feed_row.position > kept.position:
            latest[feed_row.sku] = feed_row
        elif feed_row.position == kept.position and (
            (feed_row.on_hand, feed_row.price_cents) != (kept.on_hand, kept.price_cents)
        ):
            errors.append(RowError(feed_row.row, "sequence", _(
                "Same SKU and position as row %(row)s with other values."
            ) % {"row": kept.row}))  # fmt: skip
    return list(latest.values()), refs, errors


# Applying -----------------------------------------------------------------------------------


def use_bulk_path() -> bool:
    return connection.vendor == "postgresql"


def apply_stock_feed(
    *, store: Store, rows: list[dict], source: str, actor, reference: str = ""
) -> FeedResult:
    """Validate then apply a feed batch for `store`; all or nothing. See the module docstring."""
    feed_rows, refs, errors = validate_feed_rows(rows)
    if errors:
        raise StockFeedRejected(sorted(errors, key=lambda error: error.row))
    result = FeedResult(received=len(rows))
    ordered = sorted([(refs[r.sku].id, r) for r in feed_rows], key=itemgetter(0))
    with transaction.atomic():
        if use_bulk_path():
            _apply_bulk_postgresql(store, ordered, source, reference, actor, result)
        else:
            _apply_portable(store, ordered, source, reference, actor, result)
        # Rows not applied are older than the stock row's position, or than a newer row for
        # the same SKU in this batch: either way ignored as older, so the counts add up.
        result.ignored_stale = result.received - result.applied
        record_audit_event(
            actor=actor,
            action="stock.feed_applied",
            store_id=store.pk,
            data={"source": source, "reference": reference, **result.as_dict()},
        )
    return result


def _apply_bulk_postgresql(store, ordered, source, reference, actor, result: FeedResult) -> None:
    result.bulk = True
    safety = effective_safety_stock(store)
    level_table = StockLevel._meta.db_table
    movement_table = StockMovement._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS feed_rows")
        cursor.execute(
            "CREATE TEMP TABLE feed_rows (variant_id bigint PRIMARY KEY, on_hand integer NOT NULL,"
            " price_cents bigint, position bigint NOT NULL) ON COMMIT DROP"
        )
        with cursor.copy(
            "COPY feed_rows (variant_id, on_hand, price_cents, position) FROM STDIN"
        ) as copy:
            for variant_id, row in ordered:
                copy.write_row((variant_id, row.on_hand, row.price_cents, row.position))
        cursor.execute("ANALYZE feed_rows")
        # Lock the rows this batch may change, in variant order like every stock writer, and
        # write the movements from the locked (current) quantities: one pass over the rows.
        cursor.execute(
            f"WITH locked AS MATERIALIZED (SELECT s.id, s.variant_id, s.on_hand, s.feed_position"  # noqa: S608
            f" FROM {level_table} s JOIN feed_rows f ON f.variant_id = s.variant_id"
            " WHERE s.store_id = %s ORDER BY s.variant_id FOR UPDATE OF s)"
            f" INSERT INTO {movement_table} (store_id, variant_id, delta, on_hand_after, reason,"
            " source, reference, actor_label, created_at)"
            " SELECT %s, f.variant_id, f.on_hand - COALESCE(l.on_hand, 0), f.on_hand, %s, %s, %s,"
            " %s, now() FROM feed_rows f LEFT JOIN locked l ON l.variant_id = f.variant_id"
            " WHERE (l.id IS NULL OR l.feed_position < f.position)"
            " AND f.on_hand <> COALESCE(l.on_hand, 0)",
            [store.pk, store.pk, StockMovement.Reason.FEED, source, reference, actor_label(actor)],
        )
        result.movements = cursor.rowcount
        # The rows the store already has (locked above): a plain UPDATE, cheaper than an upsert.
        cursor.execute(
            f"UPDATE {level_table} s SET on_hand = f.on_hand,"  # noqa: S608
            " price_cents = COALESCE(f.price_cents, s.price_cents),"
            " feed_position = f.position, updated_at = now() FROM feed_rows f"
            " WHERE s.store_id = %s AND s.variant_id = f.variant_id"
            " AND s.feed_position < f.position",
            [store.pk],
        )
        result.applied = cursor.rowcount
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
            [store.pk, safety, store.pk],
        )
        result.applied += cursor.rowcount
        cursor.execute("DROP TABLE feed_rows")


def _apply_portable(store, ordered, source, reference, actor, result: FeedResult) -> None:
    """The same rules with the ORM in bulk, for the embedded SQLite profile."""
    variant_ids = [variant_id for variant_id, _row in ordered]
    existing = {
        level.variant_id: level
        for level in StockLevel.objects.select_for_update()
        .filter(store=store, variant_id__in=variant_ids)
        .order_by("variant_id")
    }
    safety = effective_safety_stock(store)
    to_create, to_update, movements = [], [], []
    label = actor_label(actor)
    now = timezone.now()
    for variant_id, row in ordered:
        level = existing.get(variant_id)
        if level is not None and level.feed_position >= row.position:
            continue
        before = level.on_hand if level is not None else 0
        if level is None:
            level = StockLevel(store=store, variant_id=variant_id, safety_stock=safety)
            to_create.append(level)
        else:
            to_update.append(level)
        level.on_hand = row.on_hand
        if row.price_cents is not None:
            level.price_cents = row.price_cents
        level.feed_position = row.position
        level.updated_at = now
        if row.on_hand != before:
            movements.append(StockMovement(
                store=store, variant_id=variant_id, delta=row.on_hand - before,
                on_hand_after=row.on_hand, reason=StockMovement.Reason.FEED, source=source,
                reference=reference, actor_label=label,
            ))  # fmt: skip
    StockLevel.objects.bulk_create(to_create, batch_size=2000)
    StockLevel.objects.bulk_update(
        to_update, ["on_hand", "price_cents", "feed_position", "updated_at"], batch_size=2000
    )
    StockMovement.objects.bulk_create(movements, batch_size=2000)
    result.applied = len(to_create) + len(to_update)
    result.movements = len(movements)
