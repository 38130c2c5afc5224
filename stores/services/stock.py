"""A store's stock and prices: every change of on-hand writes a movement; prices stay in bounds.

Locks: a change to one (store, variant) row takes that row with SELECT FOR UPDATE; services that
touch several rows lock them in (store, variant) order, like every other writer of stock.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import DateTimeField, F, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Variant
from catalog.money import format_cents
from catalog.selectors import omnibus_reference, price_bounds_for
from catalog.services import record_offer_price
from network_marketplace.audit import actor_label, record_audit_event
from network_marketplace.errors import DomainError

from ..models import StockLevel, StockMovement, StockPolicy, Store

UNCHANGED = object()


class PriceOutOfBounds(DomainError):
    """The price is outside the bounds HQ set for this item."""

    code = "price_out_of_bounds"
    http_status = 400


class NotAReduction(DomainError):
    """A price announced as reduced must be below the lowest price of the 30 days before."""

    code = "not_a_reduction"
    http_status = 400

    def __init__(self, message: str, *, price_cents: int, reference_cents: int | None):
        super().__init__(message)
        self.price_cents = price_cents
        self.reference_cents = reference_cents


class InsufficientStock(DomainError):
    """Not enough stock on hand for this change."""

    code = "insufficient_stock"
    http_status = 409


def check_price_within_bounds(*, variant: Variant, price_cents: int) -> None:
    if price_cents <= 0:
        raise PriceOutOfBounds(_("A price must be above zero."), price_cents=price_cents)
    bounds = price_bounds_for(variant)
    if bounds.min_cents is not None and price_cents < bounds.min_cents:
        raise PriceOutOfBounds(
            _("The price of %(sku)s can't be below %(bound)s (HQ's lowest price).")
            % {"sku": variant.sku, "bound": format_cents(bounds.min_cents)},
            min_price_cents=bounds.min_cents,
            price_cents=price_cents,
        )
    if bounds.max_cents is not None and price_cents > bounds.max_cents:
        raise PriceOutOfBounds(
            _("The price of %(sku)s can't be above %(bound)s (HQ's highest price).")
            % {"sku": variant.sku, "bound": format_cents(bounds.max_cents)},
            max_price_cents=bounds.max_cents,
            price_cents=price_cents,
        )


def effective_safety_stock(store: Store) -> int:
    if store.safety_stock_override is not None:
        return store.safety_stock_override
    return StockPolicy.current().default_safety_stock


def refresh_safety_stock(*, store: Store | None = None) -> int:
    """Write the effective safety stock on the stock rows of `store` (or of every store) after
    HQ's default or a store's override changed. Returns the number of rows changed."""
    default = StockPolicy.current().default_safety_stock
    stores = [store] if store is not None else Store.objects.all()
    changed = 0
    with transaction.atomic():
        for each in stores:
            value = (
                each.safety_stock_override if each.safety_stock_override is not None else default
            )
            changed += (
                StockLevel.objects.for_store(each)
                .exclude(safety_stock=value)
                .update(safety_stock=value)
            )
    return changed


def _locked_level(*, store: Store, variant: Variant) -> StockLevel:
    level, _created = StockLevel.objects.select_for_update().get_or_create(
        store=store, variant=variant, defaults={"safety_stock": effective_safety_stock(store)}
    )
    return level


def write_movement(
    *, level: StockLevel, delta: int, reason: str, source: str, reference: str, actor: Any
) -> StockMovement:
    return StockMovement.objects.create(
        store_id=level.store_id,
        variant_id=level.variant_id,
        delta=delta,
        on_hand_after=level.on_hand,
        reason=reason,
        source=source,
        reference=reference,
        actor_label=actor_label(actor),
    )


def set_on_hand(
    *,
    store: Store,
    variant: Variant,
    on_hand: int,
    source: str,
    actor: Any,
    reason: str = StockMovement.Reason.ADJUSTMENT,
    reference: str = "",
) -> StockLevel:
    """Set the counted quantity on hand (an inventory count); the difference is a movement."""
    return update_offer(
        store=store,
        variant=variant,
        on_hand=on_hand,
        source=source,
        actor=actor,
        reason=reason,
        reference=reference,
    )


def set_store_price(
    *, store: Store, variant: Variant, price_cents: int | None, source: str, actor: Any
) -> StockLevel:
    """Set the store's selling price (None: sell at HQ's recommended price), within HQ's bounds."""
    return update_offer(
        store=store, variant=variant, price_cents=price_cents, source=source, actor=actor
    )


def update_offer(
    *,
    store: Store,
    variant: Variant,
    source: str,
    actor: Any,
    on_hand: int | object = UNCHANGED,
    price_cents: int | object | None = UNCHANGED,
    reduction: bool | object = UNCHANGED,
    reduction_ends_at: datetime | None = None,
    reason: str = StockMovement.Reason.ADJUSTMENT,
    reference: str = "",
) -> StockLevel:
    """Change a store's quantity on hand, price and/or announced reduction for one variant, in
    one transaction. Every price change is written to the price history.

    `reduction=True` shows the (store) price as reduced until `reduction_ends_at` (None: until
    it is withdrawn with `reduction=False`); a reduction already running keeps its start, so
    that a second markdown keeps the first one's reference. The reduced price must be below the
    lowest price of the 30 days before the reduction (else NotAReduction) and within HQ's bounds.
    Validation happens before anything is written: a price out of bounds, a false reduction or a
    negative quantity changes nothing.
    """
    if on_hand is not UNCHANGED and (not isinstance(on_hand, int) or on_hand < 0):
        raise DomainError(_("The quantity on hand must be a whole number, zero or more."))
    if price_cents is not UNCHANGED and price_cents is not None:
        check_price_within_bounds(variant=variant, price_cents=price_cents)
    with transaction.atomic():
        level = _locked_level(store=store, variant=variant)
        changes = {}
        if on_hand is not UNCHANGED and on_hand != level.on_hand:
            delta = on_hand - level.on_hand
            level.on_hand = on_hand
            level.save(update_fields=["on_hand", "updated_at"])
            write_movement(
                level=level,
                delta=delta,
                reason=reason,
                source=source,
                reference=reference,
                actor=actor,
            )
            changes["on_hand"] = on_hand
        now = timezone.now()
        if price_cents is not UNCHANGED and price_cents != level.price_cents:
            changes["price_cents"] = {"from": level.price_cents, "to": price_cents}
            level.price_cents = price_cents
            level.save(update_fields=["price_cents", "updated_at"])
            record_offer_price(
                variant_id=variant.pk,
                store_id=store.pk,
                source=source,
                at=now,
                price_cents=price_cents if price_cents is not None else variant.rrp_cents,
            )
        if reduction is not UNCHANGED:
            changes.update(_set_reduction(level, reduction, reduction_ends_at, now=now))
        if changes:
            record_audit_event(
                actor=actor,
                action="stock.offer_updated",
                target=level,
                store_id=store.pk,
                data={"sku": variant.sku, "source": source, **changes},
            )
    level.refresh_from_db(fields=["available"])
    return level


def _set_reduction(
    level: StockLevel, reduction: bool, ends_at: datetime | None, *, now: datetime
) -> dict:
    if not reduction:
        if level.promotion_started_at is None:
            return {}
        level.promotion_started_at = level.promotion_ends_at = None
        level.save(update_fields=["promotion_started_at", "promotion_ends_at", "updated_at"])
        return {"reduction": None}
    if level.price_cents is None:
        raise DomainError(_("Set a store price to announce it as reduced."))
    if ends_at is not None and ends_at <= now:
        raise DomainError(_("The end of the reduction must be in the future."))
    running = level.promotion_started_at is not None and (
        level.promotion_ends_at is None or level.promotion_ends_at > now
    )
    started = level.promotion_started_at if running else now
    reference_cents = (
        StockLevel.objects.filter(pk=level.pk)
        .annotate(started=Value(started, output_field=DateTimeField()))
        .annotate(
            reference=omnibus_reference(variant="variant_id", store="store_id", started="started")
        )
        .values_list("reference", flat=True)
        .get()
    )
    if reference_cents is None or reference_cents <= level.price_cents:
        raise NotAReduction(
            _(
                "%(price)s is not below the lowest price of the last 30 days (%(reference)s): it "
                "cannot be announced as reduced."
            )
            % {
                "price": format_cents(level.price_cents),
                "reference": format_cents(reference_cents)
                if reference_cents
                else format_cents(level.price_cents),
            },
            price_cents=level.price_cents,
            reference_cents=reference_cents,
        )
    level.promotion_started_at = started
    level.promotion_ends_at = ends_at
    level.save(update_fields=["promotion_started_at", "promotion_ends_at", "updated_at"])
    return {"reduction": {"since": started.isoformat(), "reference_cents": reference_cents}}


def adjust_on_hand(
    *,
    store: Store,
    variant: Variant,
    delta: int,
    reason: str,
    source: str,
    actor: Any,
    reference: str = "",
) -> StockLevel:
    """Add `delta` (negative to remove) to the quantity on hand; never below zero.

    One conditional UPDATE, so concurrent removals can't oversell what is on hand.
    """
    with transaction.atomic():
        level = _locked_level(store=store, variant=variant)
        updated = StockLevel.objects.filter(pk=level.pk, on_hand__gte=-delta).update(
            on_hand=F("on_hand") + delta
        )
        if not updated:
            raise InsufficientStock(
                _("Only %(on_hand)s on hand for %(sku)s.")
                % {"on_hand": level.on_hand, "sku": variant.sku},
                on_hand=level.on_hand,
                requested=-delta,
            )
        level.refresh_from_db()
        write_movement(
            level=level,
            delta=delta,
            reason=reason,
            source=source,
            reference=reference,
            actor=actor,
        )
    return level
