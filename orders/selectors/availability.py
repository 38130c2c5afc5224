"""What the network's stock can serve, before any routing: units for home delivery, a transfer
source for a collect store, the stores near a customer that have an item. Read by the cart, the
product page and the checkout (which routes for real)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connections, router
from django.db.models import Q, Sum

from stores.geo import STORE_DISTANCE_SQL, box_bounds, distance_km_params
from stores.models import StockLevel, Store
from stores.selectors import bounding_box, collect_stores_near, distance_km_expression

from ..models import OrderPolicy
from ..routing import Point


def home_delivery_available(
    variant_ids: Iterable[int], *, near: Point | None = None
) -> dict[int, int]:
    """Units of each variant that home delivery can draw on: the active warehouses' and the
    active ship-from-store stores' — only those within the routing's reach of `near` (the
    customer's place) when it is known, as place_order's routing will. One query; variants
    with none are missing."""
    ships = Q(store__offers_ship_from_store=True)
    rows = StockLevel.objects.filter(
        variant_id__in=set(variant_ids), in_stock=True, store__status=Store.Status.ACTIVE
    )
    if near is not None:
        radius_km = float(OrderPolicy.current().max_distance_km)
        box = {
            f"store__{key}": value
            for key, value in bounding_box(near.latitude, near.longitude, radius_km).items()
        }
        rows = rows.annotate(
            distance_km=distance_km_expression(near.latitude, near.longitude, prefix="store__")
        )
        ships &= Q(**box, distance_km__lte=radius_km)
    rows = (
        rows.filter(Q(store__kind=Store.Kind.WAREHOUSE) | ships)
        .order_by()
        .values("variant_id")
        .annotate(units=Sum("available"))
        .values_list("variant_id", "units")
    )
    return dict(rows)


# Written by hand: the product page asks it on every view with a place (see
# stores.selectors.availability.NEARBY_OFFERS_SQL).
TRANSFER_SOURCE_SQL = f"""
SELECT stock.available
  FROM stores_stocklevel AS stock
  JOIN stores_store AS store ON store.id = stock.store_id
 WHERE stock.variant_id = %s AND stock.in_stock AND store.status = %s AND stock.store_id <> %s
   AND (store.kind = %s
        OR (store.latitude BETWEEN %s AND %s AND store.longitude BETWEEN %s AND %s
            AND {STORE_DISTANCE_SQL} <= %s))
 ORDER BY stock.available DESC
 LIMIT 1
"""  # noqa: S608 - the distance is a constant of stores.geo, no input


def transfer_source_units(
    *, variant_id: int, pickup_store: Store, policy: OrderPolicy | None = None
) -> int:
    """The most units of a variant one other location could send to `pickup_store` (a transfer
    takes a whole line from one source): the active warehouses, and the active stores within
    HQ's routing distance of the pickup store. 0 when HQ allows no transfers. One query (two
    without the policy); checkout's routing has the last word."""
    policy = policy or OrderPolicy.current()
    if not policy.transfer_for_collect:
        return 0
    radius_km = float(policy.max_distance_km)
    latitude, longitude = float(pickup_store.latitude), float(pickup_store.longitude)
    point = distance_km_params(latitude, longitude)
    with connections[router.db_for_read(StockLevel)].cursor() as cursor:
        cursor.execute(
            TRANSFER_SOURCE_SQL,
            [
                variant_id,
                Store.Status.ACTIVE,
                pickup_store.pk,
                Store.Kind.WAREHOUSE,
                *box_bounds(latitude, longitude, radius_km),
                *point,
                radius_km,
            ],
        )
        row = cursor.fetchone()
    return row[0] if row else 0


@dataclass(frozen=True)
class TransferPickup:
    """Stores near the customer that lack a variant but can have it sent from another location,
    and the promise for a collection there."""

    stores: list[Store]
    delay_days: int


def transfer_pickup_choices(
    *,
    variant_id: int,
    latitude: float,
    longitude: float,
    exclude_store_ids: Iterable[int] = (),
    limit: int = 5,
) -> TransferPickup | None:
    """The nearest click & collect stores (not `exclude_store_ids`: those already offering the
    variant from their own stock) to which some location could send one unit, or None when
    HQ allows no transfers or no location has it. One query (the source's stock) when this
    process knows the stores near the point, two otherwise."""
    policy = OrderPolicy.current()
    if not policy.transfer_for_collect:
        return None
    excluded = set(exclude_store_ids)
    stores = [
        store
        for store in collect_stores_near(
            latitude=latitude,
            longitude=longitude,
            radius_km=float(policy.max_distance_km),
            limit=limit + len(excluded),
        )
        if store.pk not in excluded
    ][:limit]
    if not stores or not transfer_source_units(
        variant_id=variant_id, pickup_store=stores[0], policy=policy
    ):
        return None
    return TransferPickup(
        stores=stores, delay_days=policy.collect_delay_days + policy.transfer_delay_days
    )


@dataclass(frozen=True)
class CollectChoice:
    store: Store
    available: int
    price_cents: int
    distance_km: float


def collect_choices(
    *, variant_ids: Iterable[int], latitude: float, longitude: float, radius_km: float = 50
) -> dict[int, list[CollectChoice]]:
    """For each variant, the selling stores within `radius_km` that have it available, nearest
    first, with their price (the cart's "collect elsewhere" options). One query."""
    box = {
        f"store__{key}": value
        for key, value in bounding_box(latitude, longitude, radius_km).items()
    }
    rows = (
        StockLevel.objects.filter(
            variant_id__in=set(variant_ids),
            in_stock=True,
            store__status=Store.Status.ACTIVE,
            **box,
        )
        .exclude(store__kind=Store.Kind.WAREHOUSE)
        .annotate(distance_km=distance_km_expression(latitude, longitude, prefix="store__"))
        .filter(distance_km__lte=radius_km)
        .select_related("store", "variant")
        .order_by("variant_id", "distance_km", "store_id")
    )
    choices: dict[int, list[CollectChoice]] = {}
    for row in rows:
        choices.setdefault(row.variant_id, []).append(
            CollectChoice(row.store, row.available, row.effective_price_cents, row.distance_km)
        )
    return choices
