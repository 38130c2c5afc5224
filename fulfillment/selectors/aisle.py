"""The endless aisle: a store's staff find, for a customer in front of them, where the network
has what this store lacks (here, the stores around, the warehouses), to order it from the desk.
"""

from __future__ import annotations

from dataclasses import dataclass

from catalog.models import Variant
from catalog.selectors import search_products
from stores.models import StockLevel, Store
from stores.selectors import (
    NearbyOffer,
    VariantAvailability,
    network_availability,
    stores_with_variant_near,
)


@dataclass(frozen=True)
class AisleRow:
    """A variant as the endless aisle lists it: here, in the network, in the warehouse."""

    variant: Variant
    here: int
    store_price_cents: int | None
    network: VariantAvailability


def endless_aisle_variants(*, query: str, store: Store, limit: int = 20) -> list[AisleRow]:
    """The catalogue's variants matching `query` (the storefront search: name, brand, SKU,
    EAN), with the units this store has and the network's availability. Four queries."""
    product_ids = list(search_products(query).values_list("pk", flat=True)[:limit])
    if not product_ids:
        return []
    variants = list(
        Variant.objects.filter(product_id__in=product_ids, is_active=True)
        .select_related("product")
        .order_by("product__name", "position", "sku")[: limit * 5]
    )
    ids = [variant.pk for variant in variants]
    here = {
        variant_id: (available, price)
        for variant_id, available, price in StockLevel.objects.for_store(store)
        .filter(variant_id__in=ids)
        .values_list("variant_id", "available", "price_cents")
    }
    network = network_availability(ids)
    return [
        AisleRow(
            variant=variant,
            here=max(here.get(variant.pk, (0, None))[0], 0),
            store_price_cents=here.get(variant.pk, (0, None))[1],
            network=network[variant.pk],
        )
        for variant in variants
    ]


@dataclass(frozen=True)
class NetworkStock:
    """Where one variant can be had: this store, the stores around it, the warehouses."""

    here: int
    store_price_cents: int | None
    nearby: list[NearbyOffer]
    warehouses: list[tuple[Store, int]]
    network: VariantAvailability


def variant_network_stock(*, variant: Variant, store: Store, radius_km: float) -> NetworkStock:
    """The variant's availability around `store` (other selling stores within `radius_km`,
    nearest first) and in the active warehouses, with this store's own units and price."""
    own = (
        StockLevel.objects.for_store(store)
        .filter(variant=variant)
        .values_list("available", "price_cents")
        .first()
    )
    nearby = [
        offer
        for offer in stores_with_variant_near(
            variant_id=variant.pk,
            latitude=float(store.latitude),
            longitude=float(store.longitude),
            radius_km=radius_km,
            limit=11,
        )
        if offer.store.pk != store.pk
    ][:10]
    warehouses = [
        (level.store, level.available)
        for level in StockLevel.objects.filter(
            variant=variant,
            in_stock=True,
            store__kind=Store.Kind.WAREHOUSE,
            store__status=Store.Status.ACTIVE,
        )
        .select_related("store")
        .order_by("store__name")
    ]
    return NetworkStock(
        here=max(own[0], 0) if own else 0,
        store_price_cents=own[1] if own else None,
        nearby=nearby,
        warehouses=warehouses,
        network=network_availability([variant.pk])[variant.pk],
    )
