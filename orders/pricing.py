"""The one place where an order's prices, delivery fee and VAT are computed.

Prices are VAT included, in cents. A line collected in a store is sold at that store's price
(HQ's recommended price when the store set none); a home-delivery line is sold at HQ's
recommended price, whichever location ships it, so the customer's price doesn't depend on routing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from catalog.models import VAT_PERCENT, Variant, VatRate
from stores.models import StockLevel, Store

from .models import FulfilmentMethod, OrderPolicy


def vat_included_in(total_cents: int, vat_percent: Decimal) -> int:
    """The VAT part of a VAT-included amount, rounded half up to the cent."""
    vat = Decimal(total_cents) * vat_percent / (100 + vat_percent)
    return int(vat.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class LineRequest:
    variant: Variant
    quantity: int
    method: str
    store: Store | None = None  # the pickup store of a collect line


@dataclass(frozen=True)
class LineQuote:
    request: LineRequest
    unit_price_cents: int
    rrp_cents: int
    vat_percent: Decimal

    @property
    def total_cents(self) -> int:
        return self.unit_price_cents * self.request.quantity

    @property
    def vat_cents(self) -> int:
        return vat_included_in(self.total_cents, self.vat_percent)


@dataclass(frozen=True)
class Quote:
    lines: list[LineQuote] = field(default_factory=list)
    shipping_cents: int = 0

    @property
    def subtotal_cents(self) -> int:
        return sum(line.total_cents for line in self.lines)

    @property
    def total_cents(self) -> int:
        return self.subtotal_cents + self.shipping_cents

    @property
    def vat_cents(self) -> int:
        # Delivery follows the VAT of the goods it carries; at the standard rate here.
        shipping_vat = vat_included_in(self.shipping_cents, VAT_PERCENT[VatRate.STANDARD])
        return sum(line.vat_cents for line in self.lines) + shipping_vat


def quote(lines: list[LineRequest], *, policy: OrderPolicy | None = None) -> Quote:
    """Price a basket: one query for the collect stores' prices, whatever the number of lines."""
    policy = policy or OrderPolicy.current()
    wanted = {
        (line.store.pk, line.variant.pk)
        for line in lines
        if line.method != FulfilmentMethod.HOME_DELIVERY and line.store is not None
    }
    store_prices: dict[tuple[int, int], int] = {}
    if wanted:
        store_ids = {store_id for store_id, _variant_id in wanted}
        variant_ids = {variant_id for _store_id, variant_id in wanted}
        store_prices = {
            (store_id, variant_id): price
            for store_id, variant_id, price in StockLevel.objects.filter(
                store_id__in=store_ids, variant_id__in=variant_ids, price_cents__isnull=False
            ).values_list("store_id", "variant_id", "price_cents")
            if price is not None
        }
    quoted = []
    for line in lines:
        unit = line.variant.rrp_cents
        if line.method != FulfilmentMethod.HOME_DELIVERY and line.store is not None:
            unit = store_prices.get((line.store.pk, line.variant.pk), unit)
        quoted.append(
            LineQuote(
                request=line,
                unit_price_cents=unit,
                rrp_cents=line.variant.rrp_cents,
                vat_percent=VAT_PERCENT[VatRate(line.variant.product.vat_rate)],
            )
        )
    home_items = sum(
        q.total_cents for q in quoted if q.request.method == FulfilmentMethod.HOME_DELIVERY
    )
    shipping = 0
    if home_items and home_items < policy.free_delivery_from_cents:
        shipping = policy.home_delivery_fee_cents
    return Quote(lines=quoted, shipping_cents=shipping)
