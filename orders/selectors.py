"""Reads for orders: what the routing engine needs to know about the network, who sees which
order, and the checkout preview (prices and routing, nothing written)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from stores.models import StockLevel, Store
from stores.selectors import bounding_box, distance_km_expression

from .models import FulfilmentMethod, Order, OrderEvent, OrderLine, OrderPolicy
from .pricing import LineQuote, LineRequest, Quote, quote
from .routing import (
    DecisionKind,
    Location,
    LocationKind,
    Point,
    RequestLine,
    RoutingDecision,
    RoutingRequest,
    route_order,
)

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


# Orders: who sees which ----------------------------------------------------------------------


def orders_visible_to(principal) -> QuerySet[Order]:
    """The tenancy rule for orders, in one place.

    HQ (an HQ key or a staff user) sees every order; a store key the orders its staff placed
    for walk-in customers (endless aisle), whoever serves them (a store follows the
    fulfilments it serves through the store's own endpoints, not here); a signed-in customer
    their own orders; anyone else nothing. Orders still awaiting payment are not shown to
    customers or stores: they are not orders yet.
    """
    if not getattr(principal, "is_authenticated", False):
        return Order.objects.none()
    api_key = getattr(principal, "api_key", None)
    if principal.is_staff:
        return Order.objects.all()
    placed = Order.objects.exclude(status=Order.Status.PENDING_PAYMENT)
    if api_key is not None:
        return placed.filter(placed_by_store_id=api_key.store_id)
    return placed.filter(customer=principal)


def with_order_summary(orders: QuerySet[Order]) -> QuerySet[Order]:
    """What an order list shows: the totals and each fulfilment's store. Three queries a page,
    whatever its length."""
    from fulfillment.models import Fulfilment

    return orders.select_related("placed_by_store", "attributed_store").prefetch_related(
        Prefetch(
            "fulfilments",
            queryset=Fulfilment.objects.select_related("store").order_by("id"),
        ),
        Prefetch(
            "lines", queryset=OrderLine.objects.order_by("id").only("id", "order_id", "quantity")
        ),
    )


def with_order_details(orders: QuerySet[Order]) -> QuerySet[Order]:
    """An order with its lines, fulfilments (their store, lines and events) and events."""
    from fulfillment.models import Fulfilment, FulfilmentEvent, FulfilmentLine

    return orders.select_related("placed_by_store", "attributed_store").prefetch_related(
        Prefetch("lines", queryset=OrderLine.objects.select_related("chosen_store")),
        Prefetch(
            "fulfilments",
            queryset=Fulfilment.objects.select_related("store").order_by("id"),
        ),
        Prefetch(
            "fulfilments__lines",
            queryset=FulfilmentLine.objects.select_related("order_line").order_by("id"),
        ),
        Prefetch(
            "fulfilments__events", queryset=FulfilmentEvent.objects.order_by("created_at", "id")
        ),
        Prefetch("events", queryset=OrderEvent.objects.order_by("created_at", "id")),
    )


def filter_orders(
    orders: QuerySet[Order],
    *,
    status: str = "",
    store: Store | None = None,
    placed_from: date | None = None,
    placed_to: date | None = None,
) -> QuerySet[Order]:
    """`store`: orders with a fulfilment served by it; dates are inclusive, in the network's
    time zone."""
    if status:
        orders = orders.filter(status=status)
    if store is not None:
        from fulfillment.models import Fulfilment

        orders = orders.filter(Exists(Fulfilment.objects.filter(order=OuterRef("pk"), store=store)))
    if placed_from:
        orders = orders.filter(placed_at__date__gte=placed_from)
    if placed_to:
        orders = orders.filter(placed_at__date__lte=placed_to)
    return orders


# Checkout preview ----------------------------------------------------------------------------


UNAVAILABLE_BY_TRANSFER = "chosen_store_out_of_stock"


@dataclass(frozen=True)
class PreviewLine:
    """A priced line and how it would be served: `available` only when it can be placed as
    asked (the chosen store has it, or a location can ship it), as place_order requires."""

    quote: LineQuote
    decision: RoutingDecision
    served_by: list[tuple[Store, int]]  # (location, units) taken from its stock
    promised_on: date | None

    @property
    def available(self) -> bool:
        return self.decision.kind == DecisionKind.DIRECT

    @property
    def unavailable_reason(self) -> str | None:
        if self.available:
            return None
        if self.decision.kind == DecisionKind.TRANSFER:
            return UNAVAILABLE_BY_TRANSFER
        return str(self.decision.unavailable_reason)


@dataclass(frozen=True)
class CheckoutPreview:
    quote: Quote
    lines: list[PreviewLine]
    parcels: int

    @property
    def available(self) -> bool:
        return all(line.available for line in self.lines)

    @property
    def pay_in_store_cents(self) -> int:
        """Reserve & collect lines are paid in the store, if the customer buys them."""
        return sum(
            line.quote.total_cents
            for line in self.lines
            if line.quote.request.method == FulfilmentMethod.RESERVE_COLLECT
        )

    @property
    def pay_online_cents(self) -> int:
        return self.quote.total_cents - self.pay_in_store_cents

    @property
    def promised_on(self) -> date | None:
        """The latest date of the available lines: when the whole order should be there."""
        dates = [line.promised_on for line in self.lines if line.promised_on]
        return max(dates) if dates else None


def preview_checkout(*, lines: list[LineRequest], point: Point, today: date | None = None):
    """Price `lines` and route them as place_order would, writing nothing: per line, its price,
    whether it can be served, from where, and the promised date (today + the routing's delay
    in days). `point` is the customer's delivery point (or the pickup store's, for a basket
    of collect lines only). A handful of queries, whatever the number of lines."""
    from .services import routing_policy  # services import this module

    policy = OrderPolicy.current()
    rules = routing_policy(policy)
    request = RoutingRequest(
        lines=tuple(
            RequestLine(
                variant_id=line.variant.pk,
                quantity=line.quantity,
                method=line.method,
                chosen_store_id=line.store.pk if line.store else None,
            )
            for line in lines
        ),
        customer=point,
    )
    locations = routing_candidates(
        variant_ids={line.variant.pk for line in lines},
        point=point,
        radius_km=rules.max_distance_km,
        include_store_ids={line.store.pk for line in lines if line.store},
    )
    routing = route_order(request=request, locations=locations, policy=rules)
    priced = quote(lines, policy=policy)
    location_ids = {a.location_id for d in routing.decisions for a in d.allocations}
    stores = Store.objects.in_bulk(location_ids) if location_ids else {}
    today = today or timezone.localdate()
    preview_lines = []
    for line_quote, decision in zip(priced.lines, routing.decisions, strict=True):
        served = decision.kind == DecisionKind.DIRECT
        preview_lines.append(
            PreviewLine(
                quote=line_quote,
                decision=decision,
                served_by=[(stores[a.location_id], a.quantity) for a in decision.allocations]
                if served
                else [],
                promised_on=today + timedelta(days=decision.delay_days)
                if served and decision.delay_days is not None
                else None,
            )
        )
    return CheckoutPreview(quote=priced, lines=preview_lines, parcels=len(routing.parcels))
