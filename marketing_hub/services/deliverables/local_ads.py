"""The local ads pack: the store's local product inventory feed in Google Merchant Center's
format (tab-separated, its attribute names as headers), read from the store's own offers and
stock through `stores.selectors`, and the month's campaign brief (HTML)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from stores.models import Store
from stores.selectors import offer_reductions, store_stock

from ...models import Subscription
from ..periods import next_month

HEADERS = [
    "store_code",
    "id",
    "gtin",
    "price",
    "quantity",
    "availability",
    "pickup_method",
    "pickup_sla",
]
# Below this many units an offer is "limited_availability" in Merchant Center's words.
LIMITED_BELOW = 3


@dataclass(frozen=True)
class InventoryRow:
    store_code: str
    id: str
    gtin: str
    price_cents: int
    quantity: int
    availability: str
    pickup_method: str
    pickup_sla: str
    product_name: str = ""
    variant_id: int = 0

    def values(self) -> list[str]:
        euros, cents = divmod(self.price_cents, 100)
        return [
            self.store_code,
            self.id,
            self.gtin,
            f"{euros}.{cents:02d} EUR",
            str(self.quantity),
            self.availability,
            self.pickup_method,
            self.pickup_sla,
        ]


def pickup(store: Store) -> tuple[str, str]:
    """(pickup_method, pickup_sla): bought online and collected the same day with click &
    collect, reserved online with reserve & collect, else not offered."""
    if store.offers_click_collect:
        return "buy", "same_day"
    if store.offers_reserve_collect:
        return "reserve", "same_day"
    return "not_supported", ""


def availability(quantity: int) -> str:
    if quantity <= 0:
        return "out_of_stock"
    return "limited_availability" if quantity < LIMITED_BELOW else "in_stock"


def inventory_rows(store: Store) -> list[InventoryRow]:
    """One row per active variant the store stocks (out of stock rows too: the ads stop)."""
    method, sla = pickup(store)
    rows = []
    for level in store_stock(store=store).filter(variant__is_active=True):
        variant = level.variant
        rows.append(
            InventoryRow(
                store_code=store.slug,
                id=variant.sku,
                gtin=variant.gtin or "",
                price_cents=level.effective_price_cents,
                quantity=level.available,
                availability=availability(level.available),
                pickup_method=method if level.available > 0 else "not_supported",
                pickup_sla=sla if level.available > 0 else "",
                product_name=variant.product.name,
                variant_id=variant.pk,
            )
        )
    return rows


def reduced_offers(store: Store, rows: list[InventoryRow]) -> dict[int, tuple[int, int]]:
    """The store's running reductions among its offers in stock: variant id -> (price,
    reference: the lowest price of the 30 days before, the Omnibus rule), in one query."""
    pairs = [(store.pk, row.variant_id) for row in rows if row.quantity > 0 and row.variant_id]
    return {
        variant_id: (reduction.price_cents, reduction.reference_cents)
        for (_store_id, variant_id), reduction in offer_reductions(pairs).items()
    }


def inventory_tsv(rows: list[InventoryRow]) -> bytes:
    stream = io.StringIO()
    writer = csv.writer(stream, delimiter="\t", lineterminator="\n")
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow(row.values())
    return stream.getvalue().encode("utf-8")


def campaign_brief(*, subscription: Subscription, period: date, rows: list[InventoryRow]) -> bytes:
    """The month's local campaign: where (the store's catchment), when, the budget (the
    plan's monthly fee excl. VAT) and the products it has in stock, best stocked first."""
    store = subscription.store
    in_stock = sorted(
        (row for row in rows if row.quantity > 0), key=lambda row: (-row.quantity, row.id)
    )
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            "marketing_hub/subscription_campaign_brief.html",
            {
                "store": store,
                "plan": subscription.plan,
                "start": period,
                "end": next_month(period),
                "radius_km": store.catchment_radius_km,
                "postal_codes": store.catchment_postal_codes,
                "budget_cents": subscription.plan.price_cents,
                "products": in_stock[:30],
                "network": settings.NETWORK_NAME,
            },
        )
    return html.encode("utf-8")
