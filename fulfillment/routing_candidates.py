"""The network's locations as the routing engine sees them (orders.routing.Location): their stock
of the variants asked, their service flags, and their load and recent work counted from their
fulfilments. Here, above orders, because load is a fulfilment fact; the checkout and the
re-routing of a refused fulfilment both read it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db.models import Count, Q, Subquery
from django.db.models.expressions import OuterRef
from django.db.models.functions import Coalesce
from django.utils import timezone

from orders.models import FulfilmentMethod, OrderPolicy
from orders.routing import Location, LocationKind, Point
from stores.models import StockLevel, Store
from stores.selectors import bounding_box, distance_km_expression

from .models import Fulfilment
from .states import OPEN_STATUSES

STORE_FIELDS = (
    "kind",
    "status",
    "latitude",
    "longitude",
    "offers_ship_from_store",
    "offers_click_collect",
    "offers_reserve_collect",
    "daily_capacity",
    "home_delivery_suspended",
)
COUNT_FIELDS = ("open_orders", "recent_routed", "capacity")


# Home deliveries routed to a store within this window count against it for fairness: HQ's
# setting (OrderPolicy.fairness_window_days), which the callers pass; this is its default.
FAIRNESS_WINDOW = timedelta(days=7)
# A store's load: its open fulfilments, but a transfer it has sent (in transit, received at the
# pickup store) is no longer its work.
LOAD_STATUSES = sorted(OPEN_STATUSES - {Fulfilment.Status.IN_TRANSIT, Fulfilment.Status.RECEIVED})


def _store_counts(
    *,
    now: datetime,
    fairness_window: timedelta,
    store_ref: str = "store_id",
    prefix: str = "store__",
) -> dict:
    """Per stock row, its store's open fulfilments (load), the home deliveries routed to it in
    the fairness window, and its daily capacity (its own, else HQ's default): correlated
    subqueries, so the candidates stay one query whatever the number of stores."""
    fulfilments = Fulfilment.objects.filter(store_id=OuterRef(store_ref))
    open_count = (
        fulfilments.filter(status__in=LOAD_STATUSES)
        .order_by()
        .values("store_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    recent_count = (
        fulfilments.filter(
            method=FulfilmentMethod.HOME_DELIVERY, created_at__gte=now - fairness_window
        )
        .order_by()
        .values("store_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    default_capacity = OrderPolicy.objects.filter(pk=1).values("default_daily_capacity")
    return {
        "open_orders": Coalesce(Subquery(open_count), 0),
        "recent_routed": Coalesce(Subquery(recent_count), 0),
        "capacity": Coalesce(
            f"{prefix}daily_capacity",
            Subquery(default_capacity),
            OrderPolicy._meta.get_field("default_daily_capacity").default,
        ),
    }


def routing_candidates(
    *,
    variant_ids: Iterable[int],
    point: Point,
    radius_km: float,
    include_store_ids: Iterable[int] = (),
    now: datetime | None = None,
    fairness_window: timedelta = FAIRNESS_WINDOW,
) -> list[Location]:
    """The locations that may serve these variants to a customer at `point`, for route_order.

    They are: the active stores within `radius_km` (pass the policy's max_distance_km) that
    have any of the variants available, every active warehouse that has any (a warehouse ships
    anywhere), and the stores of `include_store_ids` whatever their distance, status or stock
    (the stores chosen for collection, so the router can say why one cannot serve). Each comes
    with its units available of these variants only. Other stores holding the variants farther
    away are not transfer sources here; widen `radius_km` to offer them.

    Load and fairness are counted here: `open_orders` is the store's open fulfilments (against
    its daily capacity, HQ's default when it set none), `recent_routed` the home deliveries
    routed to it within `fairness_window` (pass HQ's `OrderPolicy.fairness_window_days`).

    One query; two when an included store holds none of the variants.
    """
    now = now or timezone.now()
    counts = _store_counts(now=now, fairness_window=fairness_window)
    variant_ids = sorted(set(variant_ids))
    include = set(include_store_ids)
    box = {
        f"store__{key}": value
        for key, value in bounding_box(point.latitude, point.longitude, radius_km).items()
    }
    nearby_or_warehouse = Q(**box, distance_km__lte=radius_km) | Q(store__kind=Store.Kind.WAREHOUSE)
    rows = (
        StockLevel.objects.filter(variant_id__in=variant_ids, in_stock=True)
        .annotate(
            distance_km=distance_km_expression(point.latitude, point.longitude, prefix="store__")
        )
        .filter(
            (Q(store__status=Store.Status.ACTIVE) & nearby_or_warehouse) | Q(store_id__in=include)
        )
        .order_by("store_id", "variant_id")
        .annotate(**counts)
        .values_list(
            "store_id",
            "variant_id",
            "available",
            *(f"store__{f}" for f in STORE_FIELDS),
            *COUNT_FIELDS,
        )
    )
    stores: dict[int, dict] = {}
    available: dict[int, dict[int, int]] = {}
    for store_id, variant_id, units, *fields in rows:
        if store_id not in stores:
            stores[store_id] = dict(zip(STORE_FIELDS + COUNT_FIELDS, fields, strict=True))
            available[store_id] = {}
        available[store_id][variant_id] = units
    missing = include - stores.keys()
    if missing:
        store_counts = _store_counts(
            now=now, fairness_window=fairness_window, store_ref="pk", prefix=""
        )
        for store_id, *fields in (
            Store.objects.filter(pk__in=missing)
            .annotate(**store_counts)
            .values_list("pk", *STORE_FIELDS, *COUNT_FIELDS)
        ):
            stores[store_id] = dict(zip(STORE_FIELDS + COUNT_FIELDS, fields, strict=True))
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
            open_orders=store["open_orders"],
            daily_capacity=store["capacity"],
            recent_routed=store["recent_routed"],
            is_selling=store["status"] == Store.Status.ACTIVE,
            home_delivery_suspended=store["home_delivery_suspended"],
        )
        for store_id, store in sorted(stores.items())
    ]
