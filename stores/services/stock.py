"""A store's stock and prices: every change of on-hand writes a movement; prices stay in bounds.

Locks: a change to one (store, variant) row takes that row with SELECT FOR UPDATE; services that
touch several rows lock them in (store, variant) order, like every other writer of stock.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from catalog.models import Variant
from catalog.money import format_cents
from catalog.selectors import price_bounds_for
from network_marketplace.audit import actor_label, record_audit_event
from network_marketplace.errors import DomainError

from ..models import StockLevel, StockMovement, StockPolicy, Store

UNCHANGED = object()


class PriceOutOfBounds(DomainError):
    """The price is outside the bounds HQ set for this item."""

    code = "price_out_of_bounds"
    http_status = 400


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


def _write_movement(*, level, delta, reason, source, reference, actor) -> StockMovement:
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
    actor,
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
    *, store: Store, variant: Variant, price_cents: int | None, source: str, actor
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
    actor,
    on_hand=UNCHANGED,
    price_cents=UNCHANGED,
    reason: str = StockMovement.Reason.ADJUSTMENT,
    reference: str = "",
) -> StockLevel:
    """Change a store's quantity on hand and/or price for one variant, in one transaction.

    Validation happens before anything is written: a price out of bounds or a negative quantity
    changes nothing.
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
            _write_movement(
                level=level, delta=delta, reason=reason, source=source,
                reference=reference, actor=actor,
            )  # fmt: skip
            changes["on_hand"] = on_hand
        if price_cents is not UNCHANGED and price_cents != level.price_cents:
            changes["price_cents"] = {"from": level.price_cents, "to": price_cents}
            level.price_cents = price_cents
            level.save(update_fields=["price_cents", "updated_at"])
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


def adjust_on_hand(
    *,
    store: Store,
    variant: Variant,
    delta: int,
    reason: str,
    source: str,
    actor,
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
        _write_movement(
            level=level, delta=delta, reason=reason, source=source,
            reference=reference, actor=actor,
        )  # fmt: skip
    return level
