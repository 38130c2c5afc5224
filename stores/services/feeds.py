"""Stock and price feeds from a store's POS or ERP: by API (JSON rows) or by file (CSV/XLSX).

A feed row is `sku, on_hand, price?, sequence | source_timestamp`. The rules:
- the whole batch is validated first; any bad row rejects the batch (nothing applied) and every
  error is reported with its row number and field;
- each stock row remembers the position (sequence, or source timestamp in microseconds) of the last
  row applied to it: a row whose position is not newer is ignored, so replays and out-of-order
  deliveries never move stock backwards;
- a store's feed is ordered by sequences or by source timestamps, never both: a timestamp
  (~1e15 microseconds) outranks any sequence, so a till that sent one and went back to
  sequences would be ignored for ever. A batch that mixes the two is rejected row by row; the
  store's first batch sets its kind (Store.feed_positions), and a batch of the other kind is
  refused whole (409 `feed_positions_conflict`) until HQ resets the store's positions
  (reset_feed_positions);
- on PostgreSQL the batch goes through the bulk path (feed_bulk): COPY into a temporary table,
  then set-based statements, a large batch in SKU ranges applied side by side; elsewhere (the
  embedded SQLite profile) through the ORM in bulk, below.

The rows' parsing and errors are in feed_rows, the files' reading in feed_files.
"""

from __future__ import annotations

from operator import itemgetter
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog import cache as storefront_cache
from catalog.services import record_offer_prices
from network_marketplace.audit import actor_label, record_audit_event

from ..models import StockLevel, StockMovement, Store
from ..selectors.feeds import FEED_APPLIED
from .feed_bulk import apply_bulk_in_parts, apply_bulk_postgresql, parallel_parts
from .feed_files import read_feed_file
from .feed_rows import (
    FEED_COLUMNS,
    MAX_FEED_ROWS,
    MAX_REPORTED_ERRORS,
    SEQUENCE,
    FeedPositionsConflict,
    FeedResult,
    FeedRow,
    RowError,
    StockFeedRejected,
    batch_position_kind,
    validate_feed_rows,
)
from .stock import effective_safety_stock

__all__ = [
    "FEED_COLUMNS",
    "MAX_FEED_ROWS",
    "MAX_REPORTED_ERRORS",
    "FeedPositionsConflict",
    "FeedResult",
    "FeedRow",
    "RowError",
    "StockFeedRejected",
    "apply_stock_feed",
    "read_feed_file",
    "reset_feed_positions",
    "use_bulk_path",
    "validate_feed_rows",
]


def use_bulk_path() -> bool:
    return connection.vendor == "postgresql"


def apply_stock_feed(
    *, store: Store, rows: list[dict[str, Any]], source: str, actor: Any, reference: str = ""
) -> FeedResult:
    """Validate then apply a feed batch for `store`; all or nothing. See the module docstring."""
    if not rows:
        raise StockFeedRejected([RowError(0, "rows", _("The feed has no rows."))])
    if len(rows) > MAX_FEED_ROWS:
        raise StockFeedRejected(
            [RowError(0, "rows", _("At most %(max)s rows per feed.") % {"max": MAX_FEED_ROWS})]
        )
    kind, mixed = batch_position_kind(rows)
    if mixed:
        raise StockFeedRejected(mixed)
    result = FeedResult(received=len(rows))
    if use_bulk_path() and (parts := parallel_parts(len(rows))) > 1:
        # The parts commit on their own: the kind is checked before and claimed after them.
        _check_feed_positions(store, kind)
        apply_bulk_in_parts(store, rows, source, reference, actor, result, parts)
        _claim_feed_positions(store, kind)
        _record_feed_applied(store, source, reference, actor, result)
        return result
    if use_bulk_path():
        with transaction.atomic():
            _claim_feed_positions(store, kind)
            apply_bulk_postgresql(store, rows, source, reference, actor, result)
            _record_feed_applied(store, source, reference, actor, result)
        return result
    feed_rows, refs, errors = validate_feed_rows(rows)
    if errors:
        raise StockFeedRejected(sorted(errors, key=lambda error: error.row))
    ordered = sorted([(refs[r.sku].id, r) for r in feed_rows], key=itemgetter(0))
    with transaction.atomic():
        _claim_feed_positions(store, kind)
        _apply_portable(store, ordered, source, reference, actor, result)
        _record_feed_applied(store, source, reference, actor, result)
    return result


def _check_feed_positions(store: Store, kind: str | None) -> None:
    """Refuse a batch whose kind of position is not the one the store's feed is ordered by."""
    current = Store.objects.filter(pk=store.pk).values_list("feed_positions", flat=True).get()
    if kind is None or current in (Store.FeedPositions.NONE, kind):
        return
    if current == SEQUENCE:
        message = _(
            "This store's stock feed is ordered by sequences: send a sequence on every row, not "
            "a source_timestamp. To switch to source timestamps, ask HQ to reset the store's "
            "feed positions."
        )
    else:
        message = _(
            "This store's stock feed is ordered by source timestamps: send a source_timestamp "
            "on every row, not a sequence. To switch to sequences, ask HQ to reset the store's "
            "feed positions."
        )
    raise FeedPositionsConflict([RowError(0, "rows", message)], message)


def _claim_feed_positions(store: Store, kind: str | None) -> None:
    """The store's first batch sets the kind; a conditional UPDATE, so two first batches of
    different kinds cannot both set it (the second waits for the first's row lock, then sees
    its kind and is refused)."""
    if kind is None:  # no row has a position: the rows' checks reject the batch
        return
    if not Store.objects.filter(pk=store.pk, feed_positions="").update(feed_positions=kind):
        _check_feed_positions(store, kind)


def reset_feed_positions(*, store: Store, actor: Any) -> int:
    """Forget the positions of the store's feed, for a till that switches between sequences
    and source timestamps: the next batch is applied whatever its positions, and sets the kind
    again. Deliveries still in flight from before would apply too, so the till should be quiet
    meanwhile. Returns how many stock rows had a position. Locks the rows in variant order,
    like every stock writer."""
    with transaction.atomic():
        previous = (
            Store.objects.select_for_update()
            .filter(pk=store.pk)
            .values_list("feed_positions", flat=True)
            .get()
        )
        levels = list(
            StockLevel.objects.select_for_update()
            .filter(store=store, feed_position__gt=0)
            .order_by("variant_id")
            .values_list("pk", flat=True)
        )
        StockLevel.objects.filter(pk__in=levels).update(feed_position=0)
        Store.objects.filter(pk=store.pk).update(feed_positions=Store.FeedPositions.NONE)
        store.feed_positions = Store.FeedPositions.NONE
        record_audit_event(
            actor=actor,
            action="stock.feed_positions_reset",
            store_id=store.pk,
            data={"was": previous, "stock_rows": len(levels)},
        )
    return len(levels)


def _record_feed_applied(
    store: Store, source: str, reference: str, actor: Any, result: FeedResult
) -> None:
    # Rows not applied are older than the stock row's position, or than a newer row for the
    # same SKU in this batch: either way ignored as older, so the counts add up.
    result.ignored_stale = result.received - result.applied
    # The feed's bulk statements skip the models' save(): its stock and prices show at once.
    storefront_cache.bump(storefront_cache.STOCK, storefront_cache.PRICES)
    record_audit_event(
        actor=actor,
        action=FEED_APPLIED,
        store_id=store.pk,
        data={"source": source, "reference": reference, **result.as_dict()},
    )


def _apply_portable(
    store: Store,
    ordered: list[tuple[int, FeedRow]],
    source: str,
    reference: str,
    actor: Any,
    result: FeedResult,
) -> None:
    """The same rules with the ORM in bulk, for the embedded SQLite profile."""
    variant_ids = [variant_id for variant_id, _row in ordered]
    existing = {
        level.variant_id: level
        for level in StockLevel.objects.select_for_update()
        .filter(store=store, variant_id__in=variant_ids)
        .order_by("variant_id")
    }
    safety = effective_safety_stock(store)
    to_create, to_update, movements, prices = [], [], [], []
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
            if row.price_cents != level.price_cents or level.pk is None:
                prices.append((variant_id, row.price_cents))
            level.price_cents = row.price_cents
        level.feed_position = row.position
        level.updated_at = now
        if row.on_hand != before:
            movements.append(
                StockMovement(
                    store=store,
                    variant_id=variant_id,
                    delta=row.on_hand - before,
                    on_hand_after=row.on_hand,
                    reason=StockMovement.Reason.FEED,
                    source=source,
                    reference=reference,
                    actor_label=label,
                )
            )
    StockLevel.objects.bulk_create(to_create, batch_size=2000)
    StockLevel.objects.bulk_update(
        to_update, ["on_hand", "price_cents", "feed_position", "updated_at"], batch_size=2000
    )
    StockMovement.objects.bulk_create(movements, batch_size=2000)
    record_offer_prices(store_id=store.pk, prices=prices, source=source, at=now)
    result.applied = len(to_create) + len(to_update)
    result.movements = len(movements)
