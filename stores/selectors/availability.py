"""Where an item can be had: bands of stock customers see, offers near a point, the network's
availability of variants, what a cart may still reserve, and the offers announced as reduced."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import connections, router
from django.db.models import Count, IntegerField, Max, Min, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import Product, Variant
from catalog.selectors import Reduction, omnibus_reference, promotion_running, reduction_of
from network_marketplace.db import model_from_row, select_columns

from ..geo import STORE_DISTANCE_SQL, box_bounds, distance_km_params
from ..models import Reservation, StockLevel, Store

# Customers see a band, not the exact count: stores' stock is their business.
QUANTITY_BANDS = (
    (10, "in_stock", _("In stock")),
    (3, "limited", _("Limited stock")),
    (1, "last_units", _("Last units")),
)


def quantity_band(available: int) -> tuple[str, str]:
    for minimum, code, label in QUANTITY_BANDS:
        if available >= minimum:
            return code, str(label)
    return "out_of_stock", str(_("Out of stock"))


@dataclass(frozen=True)
class NearbyOffer:
    store: Store
    distance_km: float
    available: int
    price_cents: int
    # The store announced a reduction (running or not: offer_reductions says which run).
    reduction_announced: bool = False
    reduction: Reduction | None = None  # set by the page when the offer is announced as reduced

    @property
    def band(self) -> str:
        return quantity_band(self.available)[0]

    @property
    def band_label(self) -> str:
        return quantity_band(self.available)[1]


# Written by hand: the product page runs them on every view, and Django spent more time building
# them than PostgreSQL running them. The first reads only the stock_by_variant index (an
# index-only scan of the variant's rows in stock) joined to the stores in the box.
NEARBY_OFFERS_SQL = f"""
SELECT stock.store_id, {STORE_DISTANCE_SQL} AS distance_km,
       COALESCE(stock.price_cents, variant.rrp_cents) AS price
  FROM stores_stocklevel AS stock
  JOIN stores_store AS store ON store.id = stock.store_id
  JOIN catalog_variant AS variant ON variant.id = stock.variant_id
 WHERE stock.variant_id = %s AND stock.in_stock AND store.status = %s AND store.kind <> %s
   AND store.latitude BETWEEN %s AND %s AND store.longitude BETWEEN %s AND %s
   AND {STORE_DISTANCE_SQL} <= %s
 ORDER BY distance_km, stock.store_id
 LIMIT %s
"""  # noqa: S608 - the distance is a constant of stores.geo, no input


@functools.cache
def _offer_stores_sql() -> str:
    return (
        f"SELECT {select_columns(Store, 'store')}, stock.available, stock.demoted,"  # noqa: S608 - names from the models' meta
        " stock.promotion_started_at"
        " FROM stores_stocklevel AS stock JOIN stores_store AS store ON store.id = stock.store_id"
        " WHERE stock.variant_id = %s AND stock.store_id IN ({stores})"
    )


def stores_with_variant_near(
    *, variant_id: int, latitude: float, longitude: float, radius_km: float = 50, limit: int = 10
) -> list[NearbyOffer]:
    """The selling stores near a point that have the variant available, nearest first, with
    their price. Two queries: the offers (NEARBY_OFFERS_SQL), then the few offers kept with
    their stores: their quantities (the index holds none, see StockLevel) and whether their
    store announced a reduction (_offer_stores_sql)."""
    point = distance_km_params(latitude, longitude)
    using = router.db_for_read(StockLevel)
    with connections[using].cursor() as cursor:
        cursor.execute(
            NEARBY_OFFERS_SQL,
            [
                *point,
                variant_id,
                Store.Status.ACTIVE,
                Store.Kind.WAREHOUSE,
                *box_bounds(latitude, longitude, radius_km),
                *point,
                radius_km,
                limit,
            ],
        )
        offers = cursor.fetchall()
    if not offers:
        return []
    with connections[using].cursor() as cursor:
        cursor.execute(
            _offer_stores_sql().format(stores=", ".join(["%s"] * len(offers))),
            [variant_id, *(store_id for store_id, *_rest in offers)],
        )
        rows = cursor.fetchall()
    width = len(Store._meta.concrete_fields)
    stock = {}  # store id -> (store, available, demoted, reduction announced)
    for row in rows:
        store = model_from_row(Store, row[:width], using=using)
        available, demoted, promotion_started_at = row[width:]
        stock[store.pk] = (store, available, demoted, promotion_started_at is not None)
    found = [
        NearbyOffer(
            store=stock[store_id][0],
            distance_km=distance,
            available=stock[store_id][1],
            price_cents=price,
            reduction_announced=stock[store_id][3],
        )
        for store_id, distance, price in offers
        if store_id in stock and stock[store_id][1]  # sold out between the two reads
    ]
    # An offer HQ demoted (a compliance measure) comes after the others, nearest first still.
    return sorted(found, key=lambda offer: stock[offer.store.pk][2])


@dataclass(frozen=True)
class VariantAvailability:
    """Where a variant can be had in the network: how many selling stores have it in stock,
    the units at the warehouses (home delivery), and the range of its prices."""

    variant_id: int
    store_count: int = 0
    warehouse_available: int = 0
    min_price_cents: int | None = None
    max_price_cents: int | None = None

    @property
    def in_stock(self) -> bool:
        return bool(self.store_count or self.warehouse_available)


def network_availability(variant_ids: Iterable[int]) -> dict[int, VariantAvailability]:
    """Per variant: how many selling stores in the network's active locations have it in stock,
    the active warehouses' units, and the range of the prices of the locations that have it (a
    row without a store price sells at the RRP). Three queries at most: the counts and prices
    read only the stock_by_variant index (an index-only scan of the rows in stock), then the
    warehouses' quantities (a few rows, which the index does not hold) and the RRPs the prices
    need. Units are not summed over the network: that would read every store's row."""
    variant_ids = list(variant_ids)
    selling = ~Q(store__kind=Store.Kind.WAREHOUSE)
    rows = list(
        StockLevel.objects.filter(
            variant_id__in=variant_ids, in_stock=True, store__status=Store.Status.ACTIVE
        )
        .values("variant_id")
        .annotate(
            stores=Count("store_id", filter=selling),
            warehouses=Count("store_id", filter=~selling),
            low=Min("price_cents"),
            high=Max("price_cents"),
            at_rrp=Count("store_id", filter=Q(price_cents__isnull=True)),
        )
        .order_by()
    )
    in_warehouses = [row["variant_id"] for row in rows if row["warehouses"]]
    warehouse_units = (
        dict(
            StockLevel.objects.filter(
                variant_id__in=in_warehouses,
                in_stock=True,
                store__kind=Store.Kind.WAREHOUSE,
                store__status=Store.Status.ACTIVE,
            )
            .values("variant_id")
            .annotate(units=Sum("available"))
            .order_by()
            .values_list("variant_id", "units")
        )
        if in_warehouses
        else {}
    )
    at_rrp = [row["variant_id"] for row in rows if row["at_rrp"]]
    rrp = (
        dict(Variant.objects.filter(pk__in=at_rrp).order_by().values_list("pk", "rrp_cents"))
        if at_rrp
        else {}
    )
    found = {}
    for row in rows:
        prices = [price for price in (row["low"], row["high"]) if price is not None]
        if row["at_rrp"]:
            prices.append(rrp[row["variant_id"]])
        found[row["variant_id"]] = VariantAvailability(
            variant_id=row["variant_id"],
            store_count=row["stores"],
            warehouse_available=warehouse_units.get(row["variant_id"], 0),
            min_price_cents=min(prices, default=None),
            max_price_cents=max(prices, default=None),
        )
    return {pk: found.get(pk, VariantAvailability(variant_id=pk)) for pk in variant_ids}


def product_availability(product: Product) -> dict[int, VariantAvailability]:
    return network_availability(
        product.variants.filter(is_active=True).order_by().values_list("pk", flat=True)
    )


def _due_units(now: datetime) -> Coalesce:
    """Units of a stock row's holds that expired but were not released yet (they don't count)."""
    due = (
        Reservation.objects.due_at(now)
        .filter(store_id=OuterRef("store_id"), variant_id=OuterRef("variant_id"))
        .order_by()
        .values("store_id", "variant_id")
        .annotate(units=Sum("quantity"))
        .values("units")
    )
    return Coalesce(Subquery(due, output_field=IntegerField()), 0)


def available_to_reserve(
    pairs: Iterable[tuple[int, int]], *, now: datetime | None = None
) -> dict[tuple[int, int], int]:
    """Exact availability of these (store_id, variant_id) pairs now, for a cart or checkout page:
    on hand - safety stock - the holds that still count (`StockLevel.available` also counts the
    holds expired since the last sweep). Missing rows are 0. What `reserve_stock` would grant."""
    keys = set(pairs)
    if not keys:
        return {}
    now = now or timezone.now()
    condition = Q()
    for store_id, variant_id in keys:
        condition |= Q(store_id=store_id, variant_id=variant_id)
    rows = (
        StockLevel.objects.filter(condition)
        .annotate(due_units=_due_units(now))
        .values_list(
            "store_id",
            "variant_id",
            "on_hand",
            "reserved",
            "safety_stock",
            "due_units",
            "sales_blocked",
        )
    )
    found = {
        (store_id, variant_id): 0 if blocked else max(0, on_hand - (reserved - due) - safety)
        for store_id, variant_id, on_hand, reserved, safety, due, blocked in rows
    }
    return {key: found.get(key, 0) for key in keys}


def offer_reductions(
    pairs: Iterable[tuple[int, int]], *, now: datetime | None = None
) -> dict[tuple[int, int], Reduction]:
    """The store offers among `pairs` of (store id, variant id) whose announced reduction is
    running, with their Omnibus reference: one query however many offers (a product page's
    nearby stores, a cart)."""
    pairs = list(dict.fromkeys(pairs))
    if not pairs:
        return {}
    now = now or timezone.now()
    wanted = Q()
    for store_id, variant_id in pairs:
        wanted |= Q(store_id=store_id, variant_id=variant_id)
    rows = (
        StockLevel.objects.filter(wanted)
        .filter(promotion_running(now), price_cents__isnull=False)
        .annotate(
            reference=omnibus_reference(
                variant="variant_id", store="store_id", started="promotion_started_at"
            )
        )
        .values_list("store_id", "variant_id", "price_cents", "reference", "promotion_ends_at")
    )
    found = {}
    for store_id, variant_id, price, reference, ends_at in rows:
        reduction = reduction_of(price_cents=price, reference_cents=reference, ends_at=ends_at)
        if reduction is not None:
            found[store_id, variant_id] = reduction
    return found
