"""The network's locations as the routing engine sees them (orders.routing.Location): their stock
of the variants asked, their service flags, and their load and recent work counted from their
fulfilments. Here, above orders, because load is a fulfilment fact; the checkout and the
re-routing of a refused fulfilment both read it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import connection
from django.db.models import Count, Subquery
from django.db.models.expressions import OuterRef
from django.db.models.functions import Coalesce
from django.utils import timezone

from orders.models import FulfilmentMethod, OrderPolicy
from orders.routing import Location, LocationKind, Point
from stores.geo import box_bounds, distance_km
from stores.models import Store

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


# The candidates' one statement, written by hand: it runs on every checkout, and the ORM took
# about 8 ms of CPU to build and compile its three correlated subqueries each time (issue 16),
# where this takes a fraction of one. `{variants}` and `{included}` are placeholder lists.
# Portable SQL: the embedded profile runs it on SQLite. `_store_counts` says the same in the
# ORM for the stores read on their own.
CANDIDATES_SQL = """
SELECT stock.store_id, stock.variant_id, stock.available,
       store.kind, store.status, store.latitude, store.longitude, store.offers_ship_from_store,
       store.offers_click_collect, store.offers_reserve_collect, store.daily_capacity,
       store.home_delivery_suspended,
       (SELECT COUNT(*) FROM fulfillment_fulfilment AS busy
         WHERE busy.store_id = stock.store_id AND busy.status IN ({load_statuses})),
       (SELECT COUNT(*) FROM fulfillment_fulfilment AS routed
         WHERE routed.store_id = stock.store_id AND routed.method = %s
           AND routed.created_at >= %s),
       COALESCE(store.daily_capacity,
                (SELECT policy.default_daily_capacity FROM orders_orderpolicy AS policy
                  WHERE policy.id = 1),
                %s)
  FROM stores_stocklevel AS stock
  JOIN stores_store AS store ON store.id = stock.store_id
 WHERE stock.in_stock AND stock.variant_id IN ({variants})
   AND ((store.status = %s
         AND (store.kind = %s
              OR (store.latitude BETWEEN %s AND %s AND store.longitude BETWEEN %s AND %s)))
        OR stock.store_id IN ({included}))
 ORDER BY stock.store_id, stock.variant_id
"""


def _placeholders(values: list) -> str:
    return ", ".join(["%s"] * len(values)) or "NULL"


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

    One query (the database keeps the stores in the bounding box of the circle, the distance
    is `stores.geo.distance_km`, the router's own); two when an included store holds none of
    the variants.
    """
    now = now or timezone.now()
    variant_ids = sorted(set(variant_ids))
    include = set(include_store_ids)
    included = sorted(include)
    sql = CANDIDATES_SQL.format(
        load_statuses=_placeholders(LOAD_STATUSES),
        variants=_placeholders(variant_ids),
        included=_placeholders(included),
    )
    params = [
        *LOAD_STATUSES,
        FulfilmentMethod.HOME_DELIVERY,
        connection.ops.adapt_datetimefield_value(now - fairness_window),
        OrderPolicy._meta.get_field("default_daily_capacity").default,
        *variant_ids,
        Store.Status.ACTIVE,
        Store.Kind.WAREHOUSE,
        *box_bounds(point.latitude, point.longitude, radius_km),
        *included,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    stores: dict[int, dict] = {}
    available: dict[int, dict[int, int]] = {}
    for store_id, variant_id, units, *fields in rows:
        kind, _status, latitude, longitude = fields[:4]
        if (
            store_id not in include
            and kind != Store.Kind.WAREHOUSE
            and distance_km(point.latitude, point.longitude, float(latitude), float(longitude))
            > radius_km
        ):
            continue
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
            ships_from_store=bool(store["offers_ship_from_store"]),
            offers_click_collect=bool(store["offers_click_collect"]),
            offers_reserve_collect=bool(store["offers_reserve_collect"]),
            open_orders=store["open_orders"],
            daily_capacity=store["capacity"],
            recent_routed=store["recent_routed"],
            is_selling=store["status"] == Store.Status.ACTIVE,
            home_delivery_suspended=bool(store["home_delivery_suspended"]),
        )
        for store_id, store in sorted(stores.items())
    ]
