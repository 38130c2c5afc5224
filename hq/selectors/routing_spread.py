"""How home-delivery orders were spread over the stores of each area, and how they would have
been with other routing weights.

The report (`routing_spread`) reads the home-delivery fulfilments routed in a period (one query,
grouped by location), the stores (one query) and their stock available now (one query, grouped
by store), and puts each store's share of its area's orders next to its share of the area's
capacity and of its stock. An area is a department (the postal code's first two digits, three
overseas) or a postal-code prefix of three digits.

The simulation (`simulate_routing`) replays the home-delivery orders of the last N days, in the
order they were placed, through the pure routing engine (orders.routing), once with HQ's weights
and once with candidate weights, and returns both spreads. It writes nothing. What the replay
knows, the same for both runs so that the comparison is fair: the stock is today's (the past
levels are not kept), a store's load is the orders the replay gave it that day against its daily
capacity, and fairness counts the home deliveries the replay gave it within the fairness window.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Sum
from django.utils import timezone

from fulfillment.models import Fulfilment
from orders.models import FulfilmentMethod, Order, OrderLine, OrderPolicy
from orders.routing import (
    Location,
    LocationKind,
    Point,
    RequestLine,
    RoutingPolicy,
    RoutingRequest,
    route_order,
)
from orders.services import routing_policy
from stores.geo import distance_km
from stores.models import PostalCode, StockLevel, Store

from .scorecards import percent

AREA_DEPARTMENT = "department"
AREA_PREFIX3 = "prefix3"
# The simulation replays at most this many orders (the most recent), to keep the page quick.
MAX_REPLAYED_ORDERS = 5000
WAREHOUSE_AREA = ""


def area_of(postal_code: str, by: str = AREA_DEPARTMENT) -> str:
    """The store's area: its department ("69", "2A" is not told apart from "2B": "20"; "974"
    overseas) or the first three digits of its postal code."""
    code = (postal_code or "").strip().replace(" ", "")
    if not code:
        return "?"
    if by == AREA_PREFIX3:
        return code[:3]
    return code[:3] if code[:2] in {"97", "98"} else code[:2]


@dataclass
class StoreSpread:
    store_id: int
    name: str
    kind: str
    area: str
    orders: int = 0
    capacity: int = 0  # orders it can take over the period (daily capacity x days)
    stock_units: int = 0  # units available now
    suspended: bool = False
    ships: bool = True
    orders_share: Decimal | None = None
    capacity_share: Decimal | None = None
    stock_share: Decimal | None = None
    simulated_orders: int | None = None
    simulated_share: Decimal | None = None

    @property
    def gap(self) -> Decimal | None:
        """Its share of the orders less its share of the capacity, in points."""
        if self.orders_share is None or self.capacity_share is None:
            return None
        return self.orders_share - self.capacity_share


@dataclass
class AreaSpread:
    area: str
    stores: list[StoreSpread] = field(default_factory=list)

    @property
    def orders(self) -> int:
        return sum(store.orders for store in self.stores)

    @property
    def simulated_orders(self) -> int:
        return sum(store.simulated_orders or 0 for store in self.stores)


@dataclass
class Spread:
    start: datetime
    end: datetime
    by: str
    warehouse_orders: int
    areas: list[AreaSpread]
    simulated_warehouse_orders: int | None = None
    replayed_orders: int = 0
    unserved: int = 0
    simulated_unserved: int | None = None

    @property
    def store_orders(self) -> int:
        return sum(area.orders for area in self.areas)


def _stores() -> dict[int, dict]:
    policy_capacity = OrderPolicy.current().default_daily_capacity
    rows = Store.objects.exclude(status=Store.Status.CLOSED).values(
        "pk",
        "name",
        "kind",
        "status",
        "postal_code",
        "latitude",
        "longitude",
        "daily_capacity",
        "offers_ship_from_store",
        "home_delivery_suspended",
    )
    stores: dict[int, dict[str, Any]] = {}
    for row in rows:
        store: dict[str, Any] = dict(row)
        store["capacity_per_day"] = row["daily_capacity"] or policy_capacity
        stores[row["pk"]] = store
    return stores


def _stock_by_store() -> dict[int, int]:
    return dict(
        StockLevel.objects.filter(in_stock=True)
        .order_by()
        .values("store_id")
        .annotate(units=Sum("available"))
        .values_list("store_id", "units")
    )


def _routed_by_store(start: datetime, end: datetime) -> dict[int, int]:
    return dict(
        Fulfilment.objects.filter(
            method=FulfilmentMethod.HOME_DELIVERY,
            created_at__gt=start,
            created_at__lte=end,
            order__placed_at__isnull=False,
        )
        .order_by()
        .values("store_id")
        .annotate(n=Count("pk"))
        .values_list("store_id", "n")
    )


def _build(
    *,
    start: datetime,
    end: datetime,
    by: str,
    counts: dict[int, int],
    stores: dict[int, dict],
    stock: dict[int, int],
) -> Spread:
    days = max((end - start).days, 1)
    areas: dict[str, AreaSpread] = {}
    warehouse_orders = 0
    for store_id, store in sorted(stores.items(), key=lambda item: item[1]["name"]):
        if store["kind"] == Store.Kind.WAREHOUSE:
            warehouse_orders += counts.get(store_id, 0)
            continue
        ships = store["offers_ship_from_store"] and store["status"] == Store.Status.ACTIVE
        if not ships and not counts.get(store_id):
            continue
        area = area_of(store["postal_code"], by)
        row = StoreSpread(
            store_id=store_id,
            name=store["name"],
            kind=store["kind"],
            area=area,
            orders=counts.get(store_id, 0),
            capacity=store["capacity_per_day"] * days if ships else 0,
            stock_units=stock.get(store_id, 0),
            suspended=store["home_delivery_suspended"],
            ships=ships,
        )
        areas.setdefault(area, AreaSpread(area=area)).stores.append(row)
    for spread in areas.values():
        orders = spread.orders
        capacity = sum(each.capacity for each in spread.stores)
        units = sum(each.stock_units for each in spread.stores)
        for each in spread.stores:
            each.orders_share = percent(each.orders, orders)
            each.capacity_share = percent(each.capacity, capacity)
            each.stock_share = percent(each.stock_units, units)
    return Spread(
        start=start,
        end=end,
        by=by,
        warehouse_orders=warehouse_orders,
        areas=sorted(areas.values(), key=lambda area: area.area),
    )


def routing_spread(*, start: datetime, end: datetime, by: str = AREA_DEPARTMENT) -> Spread:
    """The home-delivery orders routed in (start, end] per store, area by area, against each
    store's capacity over the period and its stock available now. Four queries."""
    return _build(
        start=start,
        end=end,
        by=by,
        counts=_routed_by_store(start, end),
        stores=_stores(),
        stock=_stock_by_store(),
    )


# Simulation -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReplayedOrder:
    placed_at: datetime
    point: Point
    lines: tuple[tuple[int, int], ...]  # (variant id, quantity)


def _centroids(codes: set[str]) -> dict[str, Point]:
    """The centre of each postal code (as the checkout routes to it), in one query."""
    return {
        code: Point(float(latitude), float(longitude))
        for code, latitude, longitude in PostalCode.objects.filter(code__in=codes)
        .order_by()
        .values("code")
        .annotate(latitude=Avg("latitude"), longitude=Avg("longitude"))
        .values_list("code", "latitude", "longitude")
    }


def _replayed_orders(start: datetime, end: datetime) -> list[ReplayedOrder]:
    """The placed orders of (start, end] with home-delivery lines, oldest first (the most
    recent MAX_REPLAYED_ORDERS), each to the centre of its delivery postal code as at checkout
    (an order whose code is unknown is left out)."""
    rows = list(
        Order.objects.filter(
            placed_at__gt=start,
            placed_at__lte=end,
            lines__method=FulfilmentMethod.HOME_DELIVERY,
        )
        .exclude(postal_code="")
        .distinct()
        .order_by("-placed_at", "-pk")
        .values_list("pk", "placed_at", "postal_code")[:MAX_REPLAYED_ORDERS]
    )
    points = _centroids({code.strip().replace(" ", "") for _pk, _at, code in rows})
    orders = [
        (pk, placed_at, points[code.strip().replace(" ", "")])
        for pk, placed_at, code in rows
        if placed_at is not None and code.strip().replace(" ", "") in points
    ]
    lines: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for order_id, variant_id, quantity in OrderLine.objects.filter(
        order_id__in=[order[0] for order in orders], method=FulfilmentMethod.HOME_DELIVERY
    ).values_list("order_id", "variant_id", "quantity"):
        lines[order_id].append((variant_id, quantity))
    return [
        ReplayedOrder(placed_at=placed_at, point=point, lines=tuple(lines[order_id]))
        for order_id, placed_at, point in reversed(orders)
        if lines[order_id]
    ]


def _available_by_variant(variant_ids: Iterable[int]) -> dict[int, dict[int, int]]:
    """{store id: {variant id: units available now}} for these variants."""
    found: dict[int, dict[int, int]] = defaultdict(dict)
    for store_id, variant_id, units in StockLevel.objects.filter(
        variant_id__in=set(variant_ids), in_stock=True
    ).values_list("store_id", "variant_id", "available"):
        found[store_id][variant_id] = units
    return found


def replay(
    *,
    orders: list[ReplayedOrder],
    stores: dict[int, dict],
    available: dict[int, dict[int, int]],
    policy: RoutingPolicy,
    fairness_window: timedelta,
) -> tuple[Counter, int]:
    """Route `orders` one after the other through the engine: {location id: orders given}, and
    how many could not be served at all. Pure: reads only its arguments."""
    given: Counter = Counter()
    unserved = 0
    history: dict[int, list[datetime]] = defaultdict(list)  # home deliveries given, per store
    holders: dict[int, set[int]] = defaultdict(set)  # variant -> stores that have it
    for store_id, units in available.items():
        for variant_id in units:
            holders[variant_id].add(store_id)
    for order in orders:
        variants = {variant_id for variant_id, _quantity in order.lines}
        day = order.placed_at.date()
        locations = []
        for store_id in sorted(set().union(*(holders[variant] for variant in variants))):
            store, units = stores.get(store_id), available[store_id]
            if store is None:
                continue
            if store["kind"] != Store.Kind.WAREHOUSE and (
                distance_km(
                    order.point.latitude,
                    order.point.longitude,
                    float(store["latitude"]),
                    float(store["longitude"]),
                )
                > policy.max_distance_km
            ):
                continue
            recent = [at for at in history[store_id] if at > order.placed_at - fairness_window]
            history[store_id] = recent
            locations.append(
                Location(
                    store_id=store_id,
                    kind=LocationKind.WAREHOUSE
                    if store["kind"] == Store.Kind.WAREHOUSE
                    else LocationKind.STORE,
                    latitude=float(store["latitude"]),
                    longitude=float(store["longitude"]),
                    available={variant: units[variant] for variant in variants if variant in units},
                    ships_from_store=store["offers_ship_from_store"],
                    open_orders=sum(1 for at in recent if at.date() == day),
                    daily_capacity=store["capacity_per_day"],
                    recent_routed=len(recent),
                    is_selling=store["status"] == Store.Status.ACTIVE,
                    home_delivery_suspended=store["home_delivery_suspended"],
                )
            )
        result = route_order(
            request=RoutingRequest(
                lines=tuple(
                    RequestLine(variant_id, quantity, FulfilmentMethod.HOME_DELIVERY)
                    for variant_id, quantity in order.lines
                ),
                customer=order.point,
            ),
            locations=locations,
            policy=policy,
        )
        parcels = set(result.parcels)
        if not parcels:
            unserved += 1
        for location_id in parcels:
            given[location_id] += 1
            history[location_id].append(order.placed_at)
    return given, unserved


@dataclass(frozen=True)
class Weights:
    distance_weight: Decimal
    stock_depth_weight: Decimal
    load_weight: Decimal
    fairness_weight: Decimal
    fairness_window_days: int

    @classmethod
    def of(cls, policy: OrderPolicy) -> Weights:
        return cls(
            distance_weight=policy.distance_weight,
            stock_depth_weight=policy.stock_depth_weight,
            load_weight=policy.load_weight,
            fairness_weight=policy.fairness_weight,
            fairness_window_days=policy.fairness_window_days,
        )

    def as_dict(self) -> dict:
        return {
            "distance_weight": str(self.distance_weight),
            "stock_depth_weight": str(self.stock_depth_weight),
            "load_weight": str(self.load_weight),
            "fairness_weight": str(self.fairness_weight),
            "fairness_window_days": self.fairness_window_days,
        }


@dataclass(frozen=True)
class Simulation:
    days: int
    current: Weights
    candidate: Weights
    before: Spread  # the replay with HQ's weights
    after: Spread  # the replay with the candidate weights

    @property
    def replayed_orders(self) -> int:
        return self.before.replayed_orders


def _policy_with(policy: OrderPolicy, weights: Weights) -> RoutingPolicy:
    rules = routing_policy(policy)
    return RoutingPolicy(
        **{
            **rules.as_dict(),
            "distance_weight": float(weights.distance_weight),
            "stock_depth_weight": float(weights.stock_depth_weight),
            "load_weight": float(weights.load_weight),
            "fairness_weight": float(weights.fairness_weight),
        }
    )


def simulate_routing(
    *, days: int, candidate: Weights, by: str = AREA_DEPARTMENT, now: datetime | None = None
) -> Simulation:
    """Replay the last `days` days of home-delivery orders with HQ's weights and with
    `candidate`, and the spread of each (see the module docstring). Writes nothing."""
    end = now or timezone.now()
    start = end - timedelta(days=days)
    policy = OrderPolicy.current()
    current = Weights.of(policy)
    orders = _replayed_orders(start, end)
    stores = _stores()
    available = _available_by_variant(
        variant_id for order in orders for variant_id, _quantity in order.lines
    )
    stock = _stock_by_store()
    spreads = []
    for weights in (current, candidate):
        given, unserved = replay(
            orders=orders,
            stores=stores,
            available=available,
            policy=_policy_with(policy, weights),
            fairness_window=timedelta(days=weights.fairness_window_days),
        )
        spread = _build(start=start, end=end, by=by, counts=dict(given), stores=stores, stock=stock)
        spread.replayed_orders = len(orders)
        spread.unserved = unserved
        spreads.append(spread)
    before, after = spreads
    _pair(before, after)
    return Simulation(days=days, current=current, candidate=candidate, before=before, after=after)


def _pair(before: Spread, after: Spread) -> None:
    """Put the candidate's orders and share next to each store's row of `before`."""
    simulated = {store.store_id: store for area in after.areas for store in area.stores}
    for area in before.areas:
        for store in area.stores:
            twin = simulated.get(store.store_id)
            store.simulated_orders = twin.orders if twin else 0
            store.simulated_share = twin.orders_share if twin else None
    before.simulated_warehouse_orders = after.warehouse_orders
    before.simulated_unserved = after.unserved
