"""A stock feed's rows: their parsing and checks, and the errors a rejected feed reports.

Every path of a feed (the API's JSON rows, a file's rows, the PostgreSQL bulk path and the
portable one) words its errors with these parsers, so a client sees the same message for the
same mistake whichever path ran.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from catalog.money import AmountError, format_cents, parse_euros
from catalog.selectors import variant_refs_by_sku
from network_marketplace.errors import DomainError

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

    def __init__(
        self, errors: list[RowError], message: str = "", *, error_count: int | None = None
    ):
        count = len(errors) if error_count is None else error_count
        super().__init__(
            message
            or ngettext(
                "%(count)s error in the feed: nothing was applied.",
                "%(count)s errors in the feed: nothing was applied.",
                count,
            )
            % {"count": count}
        )
        self.errors = errors[:MAX_REPORTED_ERRORS]
        self.error_count = count


class FeedPositionsConflict(StockFeedRejected):
    """The batch is ordered by sequences and the store's feed by source timestamps, or the
    other way round: nothing of it was applied (feeds.apply_stock_feed says why)."""

    code = "feed_positions_conflict"
    http_status = 409


SEQUENCE, TIMESTAMP = "sequence", "timestamp"  # stores.models.Store.FeedPositions


def position_kind(raw: Any) -> str | None:
    """What orders a row: its `sequence` when it has one, else its `source_timestamp`."""
    if not isinstance(raw, dict):
        return None
    if raw.get("sequence") not in (None, ""):
        return SEQUENCE
    if raw.get("source_timestamp") not in (None, ""):
        return TIMESTAMP
    return None


def batch_position_kind(raw_rows: list) -> tuple[str | None, list[RowError]]:
    """The kind of position the batch's rows carry (the first row that has one says which),
    and an error for every row that carries the other kind: one batch, one order."""
    kind, first_row, errors = None, 0, []
    for index, raw in enumerate(raw_rows, start=1):
        row_kind = position_kind(raw)
        if row_kind is None:
            continue
        row = raw.get("_row", index)
        if kind is None:
            kind, first_row = row_kind, row
        elif row_kind != kind:
            message = (
                _(
                    "Row %(row)s has a sequence: every row of a batch needs one, not a "
                    "source_timestamp."
                )
                if kind == SEQUENCE
                else _(
                    "Row %(row)s has a source_timestamp: every row of a batch needs one, not a "
                    "sequence."
                )
            )
            field_name = "sequence" if row_kind == SEQUENCE else "source_timestamp"
            errors.append(RowError(row, field_name, message % {"row": first_row}))
    return kind, errors


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


INT_MAX = 2_147_483_647  # on_hand is a PostgreSQL integer
POSITION_MAX = 2**63 - 1  # positions are PostgreSQL bigints
# Timestamps become positions in microseconds since 1970: earlier ones would be negative, and
# the year 9999 is as far as a date goes.
EARLIEST_TIMESTAMP = datetime(1970, 1, 1, tzinfo=UTC)
LATEST_TIMESTAMP = datetime(9999, 1, 1, tzinfo=UTC)
# Bounds from here up are the columns' own: no one types such a number on purpose.
DATABASE_LIMITS = INT_MAX
# More digits than any bound above: refused before Python converts them.
MAX_DIGITS = 19


def parse_int(
    value: Any,
    *,
    row: int,
    field_name: str,
    errors: list[RowError],
    minimum: int = 0,
    maximum: int | None = None,
) -> int | None:
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
        if len(text.lstrip("-")) > MAX_DIGITS:
            errors.append(RowError(row, field_name, _("The number is too large.")))
            return None
        number = int(text)
    if number < minimum:
        errors.append(
            RowError(row, field_name, _("The value must be %(min)s or more.") % {"min": minimum})
        )
        return None
    if maximum is not None and number > maximum:
        # A database column's limit (2147483647) means nothing to the person who typed it.
        message = (
            _("The number is too large.")
            if maximum >= DATABASE_LIMITS
            else _("The value must be %(max)s or less.") % {"max": maximum}
        )
        errors.append(RowError(row, field_name, message))
        return None
    return number


def parse_price_cents(raw: dict, *, row: int, errors: list[RowError]) -> int | None:
    """`price_cents` (integer) or `price` (euros, dot or comma decimal); empty means no change."""
    cents = raw.get("price_cents")
    if cents not in (None, ""):
        return parse_int(
            cents, row=row, field_name="price_cents", errors=errors, minimum=1, maximum=10**15
        )
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


def parse_position(raw: dict, *, row: int, errors: list[RowError]) -> int | None:
    if raw.get("sequence") not in (None, ""):
        return parse_int(
            raw["sequence"], row=row, field_name="sequence", errors=errors, maximum=POSITION_MAX
        )
    stamp = raw.get("source_timestamp")
    if stamp in (None, ""):
        errors.append(RowError(row, "sequence", _("A sequence or a source_timestamp is required.")))
        return None
    try:
        moment = stamp if isinstance(stamp, datetime) else parse_datetime(str(stamp).strip())
    except ValueError:  # well formed, but no such day or hour (2031-02-30, 25:00)
        moment = None
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
    try:
        in_range = EARLIEST_TIMESTAMP <= moment < LATEST_TIMESTAMP
    except OverflowError:  # 0001-01-01T00:30+01:00 is before the first representable instant
        in_range = False
    if not in_range:
        errors.append(
            RowError(
                row,
                "source_timestamp",
                _("The date must be between 1970 and 9998."),
            )
        )
        return None
    return int(moment.astimezone(UTC).timestamp() * 1_000_000)


def feed_sku(raw: Any) -> str:
    """A row's SKU as every step of a feed compares it: text, without surrounding spaces. A NUL
    (which PostgreSQL refuses in text) becomes U+FFFD, so such a SKU is simply unknown."""
    sku = raw.get("sku") if isinstance(raw, dict) else ""
    text = sku.strip() if type(sku) is str else str(sku or "").strip()
    return text.replace("\x00", "\ufffd") if "\x00" in text else text


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
    skus = [feed_sku(raw) for raw in raw_rows]
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
        if type(on_hand) is not int or not 0 <= on_hand <= INT_MAX:
            on_hand = parse_int(
                on_hand, row=row, field_name="on_hand", errors=errors, maximum=INT_MAX
            )
        if raw.get("price_cents") is None and raw.get("price") is None:
            price_cents = None
        else:
            price_cents = parse_price_cents(raw, row=row, errors=errors)
        position = raw.get("sequence")
        if type(position) is not int or not 0 <= position <= POSITION_MAX:
            position = parse_position(raw, row=row, errors=errors)
        if price_cents is not None and sku in refs:
            bounds = refs[sku].bounds
            if bounds.min_cents is not None and price_cents < bounds.min_cents:
                errors.append(
                    RowError(
                        row,
                        "price",
                        _("Below HQ's lowest price, %(bound)s.")
                        % {"bound": format_cents(bounds.min_cents)},
                    )
                )
            elif bounds.max_cents is not None and price_cents > bounds.max_cents:
                errors.append(
                    RowError(
                        row,
                        "price",
                        _("Above HQ's highest price, %(bound)s.")
                        % {"bound": format_cents(bounds.max_cents)},
                    )
                )
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
            errors.append(
                RowError(
                    feed_row.row,
                    "sequence",
                    _("Same SKU and position as row %(row)s with other values.")
                    % {"row": kept.row},
                )
            )
    return list(latest.values()), refs, errors
