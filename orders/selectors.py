"""Reads for orders: what the routing engine needs to know about the network."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db.models import Q

from stores.models import StockLevel, Store
from stores.selectors import bounding_box, distance_km_expression

from .routing import Location, LocationKind, Point

STORE_FIELDS = (
    "kind",
    "status",
    "latitude",
    "longitude",
    "offers_ship_from_store",
    "offers_click_collect",
    "offers_reserve_collect",
    "daily_capacity",
)


def routing_candidates(
    *,
    variant_ids: Iterable[int],
    point: Point,
    radius_km: float,
    include_store_ids: Iterable[int] = (),
    open_orders: Mapping[int, int] | None = None,
    recent_routed: Mapping[int, int] | None = None,
) -> list[Location]:
    """The locations that may serve these variants to a customer at `point`, for route_order.

    They are: the active stores within `radius_km` (pass the policy's max_distance_km) that
    have any of the variants available, every active warehouse that has any (a warehouse ships
    anywhere), and the stores of `include_store_ids` whatever their distance, status or stock
    (the stores chosen for collection, so the router can say why one cannot serve). Each comes
    with its units available of these variants only. Other stores holding the variants farther
    away are not transfer sources here; widen `radius_km` to offer them.

    Load and fairness: `open_orders` (orders open today) and `recent_routed` (orders routed to
    it recently) map store id to a count, 0 when missing. They are passed in until the order
    models exist; then this selector counts them itself (one grouped query each).

    One query; two when an included store holds none of the variants.
    """
    variant_ids = sorted(set(variant_ids))
    include = set(include_store_ids)
    open_orders = open_orders or {}
    recent_routed = recent_routed or {}
    box = {
        f"store__{key}": value
        for key, value in bounding_box(point.latitude, point.longitude, radius_km).items()
    }
    nearby_or_warehouse = Q(**box, distance_km__lte=radius_km) | Q(store__kind=Store.Kind.WAREHOUSE)
    rows = (
        StockLevel.objects.filter(variant_id__in=variant_ids, available__gt=0)
        .annotate(
            distance_km=distance_km_expression(point.latitude, point.longitude, prefix="store__")
        )
        .filter(
            (Q(store__status=Store.Status.ACTIVE) & nearby_or_warehouse) | Q(store_id__in=include)
        )
        .order_by("store_id", "variant_id")
        .values_list("store_id", "variant_id", "available", *(f"store__{f}" for f in STORE_FIELDS))
    )
    stores: dict[int, dict] = {}
    available: dict[int, dict[int, int]] = {}
    for store_id, variant_id, units, *fields in rows:
        if store_id not in stores:
            stores[store_id] = dict(zip(STORE_FIELDS, fields, strict=True))
            available[store_id] = {}
        available[store_id][variant_id] = units
    missing = include - stores.keys()
    if missing:
        for store_id, *fields in Store.objects.filter(pk__in=missing).values_list(
            "pk", *STORE_FIELDS
        ):
            stores[store_id] = dict(zip(STORE_FIELDS, fields, strict=True))
            available[store_id] = {}
    return [
        Location(
            store_id=store_id,
            kind=LocationKind.WAREHOUSE
            if store["kind"] == Store.Kind.WAREHOUSE
            else LocationKind.STORE,
            latitude=float(store["latitude"]),
            longitude=float(store["longitude"]),
            available=available[store_id],
            ships_from_store=store["offers_ship_from_store"],
            offers_click_collect=store["offers_click_collect"],
            offers_reserve_collect=store["offers_reserve_collect"],
            open_orders=open_orders.get(store_id, 0),
            daily_capacity=store["daily_capacity"],
            recent_routed=recent_routed.get(store_id, 0),
            is_selling=store["status"] == Store.Status.ACTIVE,
        )
        for store_id, store in sorted(stores.items())
    ]
