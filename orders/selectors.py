"""Reads for orders: what the routing engine needs to know about the network, who sees which
order, the checkout preview (prices and routing, nothing written), carts as the storefront
shows them, and orders as their customer follows them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.apps import apps
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from catalog.models import Product
from stores.models import StockLevel, Store
from stores.opening_hours import STORE_TIME_ZONE, after_opening_time, pickup_slots
from stores.selectors import available_to_reserve, bounding_box, distance_km_expression

from .models import (
    Cart,
    CartLine,
    FulfilmentMethod,
    Order,
    OrderEvent,
    OrderLine,
    OrderPolicy,
    PickupSlot,
)
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
COUNT_FIELDS = ("open_orders", "recent_routed", "capacity")


# Home deliveries routed to a store within this window count against it for fairness.
FAIRNESS_WINDOW = timedelta(days=7)
# The stores' load and recent work, fulfilment statuses as strings: orders sits below
# fulfillment (fulfillment.states.OPEN_STATUSES holds the same values).
OPEN_FULFILMENT_STATUSES = ("awaiting_acceptance", "accepted", "picked", "ready_for_pickup")


def _store_counts(*, now, store_ref: str = "store_id", prefix: str = "store__"):
    """Per stock row, its store's open fulfilments (load), the home deliveries routed to it in
    the fairness window, and its daily capacity (its own, else HQ's default): correlated
    subqueries, so the candidates stay one query whatever the number of stores."""
    fulfilments = apps.get_model("fulfillment", "Fulfilment").objects.filter(
        store_id=OuterRef(store_ref)
    )
    open_count = (
        fulfilments.filter(status__in=OPEN_FULFILMENT_STATUSES)
        .order_by()
        .values("store_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    recent_count = (
        fulfilments.filter(method="home_delivery", created_at__gte=now - FAIRNESS_WINDOW)
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
    now=None,
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
    routed to it in the last 7 days.

    One query; two when an included store holds none of the variants.
    """
    now = now or timezone.now()
    counts = _store_counts(now=now)
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
        store_counts = _store_counts(now=now, store_ref="pk", prefix="")
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
        )
        for store_id, store in sorted(stores.items())
    ]


# The routing record, as HQ and the store read it ------------------------------------------

PLAN_EXPLANATIONS = {
    "none": "",
    "warehouse": gettext_lazy(
        "The warehouse has every home-delivery line: it ships first (HQ's rule)."
    ),
    "single_location": gettext_lazy(
        "One location can ship every home-delivery line: the best score wins."
    ),
    "split_order": gettext_lazy(
        "No single location has every line: the lines go to the fewest locations, each whole."
    ),
    "split_lines": gettext_lazy(
        "A line's quantity is split over several locations (no one had it all)."
    ),
    "unavailable": gettext_lazy("No location could ship it."),
}
INELIGIBILITY_LABELS = {
    "excluded": gettext_lazy("refused this order or let it time out"),
    "not_selling": gettext_lazy("not selling (suspended, closed or onboarding)"),
    "no_service": gettext_lazy("does not offer this service"),
    "too_far": gettext_lazy("too far from the customer"),
    "at_capacity": gettext_lazy("at its daily capacity"),
    "not_enough_stock": gettext_lazy("not enough stock"),
}
UNAVAILABLE_LABELS = {
    "out_of_stock": gettext_lazy("out of stock in the network"),
    "parcel_limit": gettext_lazy("only within more parcels than HQ allows"),
    "chosen_store_unavailable": gettext_lazy("the chosen store cannot serve it"),
    "chosen_store_out_of_stock": gettext_lazy(
        "the chosen store lacks it and no transfer is possible"
    ),
}
KIND_LABELS = {
    "direct": gettext_lazy("served from stock"),
    "transfer": gettext_lazy("store-to-store transfer"),
    "unavailable": gettext_lazy("unavailable"),
}
REASON_LABELS = {
    "placed": gettext_lazy("order placed"),
    "rejected": gettext_lazy("the store rejected it"),
    "timed_out": gettext_lazy("the store did not accept in time"),
}
SCORE_LABELS = {
    "distance": gettext_lazy("distance"),
    "stock_depth": gettext_lazy("stock depth"),
    "load": gettext_lazy("load"),
    "fairness": gettext_lazy("fairness"),
}


@dataclass
class CandidateRow:
    name: str
    kind: str
    distance_km: float
    eligible: bool
    why_not: str
    scores: dict | None
    total: float | None
    chosen: bool = False


@dataclass
class DecisionRow:
    product: str
    quantity: int
    method: str
    outcome: str
    served_by: str
    delay_days: int | None
    why: str
    candidates: list[CandidateRow] = field(default_factory=list)


@dataclass
class RoutingRecord:
    at: datetime | str
    reason: str
    plan: str
    policy: dict
    decisions: list[DecisionRow]
    home_candidates: list[CandidateRow]
    why_home: str


def _why_won(rows: list[CandidateRow], weights: dict) -> str:
    """Why the best-scored candidate beat the runner-up: the component that made the gap."""
    scored = [row for row in rows if row.total is not None]
    chosen = next((row for row in scored if row.chosen), None)
    if chosen is None:
        return ""
    others = [row for row in scored if row is not chosen]
    if not others:
        return _("%(name)s was the only eligible candidate.") % {"name": chosen.name}
    runner = max(others, key=lambda row: row.total)
    gaps = {
        key: weights.get(f"{key}_weight", 0) * ((chosen.scores or {}).get(key) or 0)
        - weights.get(f"{key}_weight", 0) * ((runner.scores or {}).get(key) or 0)
        for key in SCORE_LABELS
    }
    best = max(gaps, key=gaps.get)
    return _(
        "%(name)s scored %(total).2f, ahead of %(runner)s (%(runner_total).2f), mostly on "
        "%(component)s."
    ) % {
        "name": chosen.name,
        "total": chosen.total,
        "runner": runner.name,
        "runner_total": runner.total,
        "component": SCORE_LABELS[best],
    }


def routing_log_rows(order) -> list[RoutingRecord]:
    """The order's routing decisions (`Order.routing_log`: the placement's first, then each
    re-route) with store and product names, for HQ's admin and the store's pages. Two queries
    (the stores, the order's lines) whatever the number of records."""
    log = getattr(order, "routing_log", None) or []
    records = [entry for entry in log if isinstance(entry, dict) and entry.get("result")]
    store_ids = set()
    for entry in records:
        result = entry["result"]
        for candidate in result.get("home_delivery", {}).get("candidates", []):
            store_ids.add(candidate["location_id"])
        for line in result.get("lines", []):
            store_ids.update(
                value
                for value in (line.get("location_id"), line.get("transfer_from_store_id"))
                if value
            )
            store_ids.update(a["location_id"] for a in line.get("allocations", []))
            store_ids.update(c["location_id"] for c in line.get("candidates", []))
    names = (
        dict(Store.objects.filter(pk__in=store_ids).values_list("pk", "name")) if records else {}
    )
    products = {}
    if records:
        for variant_id, name, options in order.lines.values_list(
            "variant_id", "product_name", "options_label"
        ):
            products[variant_id] = f"{name} ({options})" if options else name

    def name_of(store_id):
        return names.get(store_id, f"#{store_id}") if store_id else "—"

    def candidate_rows(candidates, chosen_ids):
        return [
            CandidateRow(
                name=name_of(candidate["location_id"]),
                kind=candidate.get("kind", ""),
                distance_km=candidate.get("distance_km", 0),
                eligible=candidate.get("eligible", False),
                why_not=str(INELIGIBILITY_LABELS.get(candidate.get("ineligibility"), "")),
                scores=candidate.get("scores"),
                total=candidate.get("total"),
                chosen=candidate["location_id"] in chosen_ids,
            )
            for candidate in candidates
        ]

    found = []
    for entry in records:
        result = entry["result"]
        policy = result.get("policy", {})
        home = result.get("home_delivery", {})
        decisions = []
        for line in result.get("lines", []):
            allocations = line.get("allocations", [])
            served_by = ", ".join(
                f"{a['quantity']} \u00d7 {name_of(a['location_id'])}" for a in allocations
            )
            if line.get("kind") == "transfer":
                served_by = _("%(source)s → %(store)s") % {
                    "source": name_of(line.get("transfer_from_store_id")),
                    "store": name_of(line.get("location_id")),
                }
            chosen_ids = {a["location_id"] for a in allocations}
            rows = candidate_rows(line.get("candidates", []), chosen_ids)
            why = str(UNAVAILABLE_LABELS.get(line.get("unavailable_reason"), ""))
            if line.get("method") != "home_delivery" and line.get("kind") == "direct":
                why = _("The store the customer chose has it.")
            elif line.get("kind") == "transfer":
                why = _why_won(rows, policy) or str(KIND_LABELS["transfer"])
            decisions.append(
                DecisionRow(
                    product=products.get(line.get("variant_id"), f"#{line.get('variant_id')}"),
                    quantity=line.get("quantity", 0),
                    method=str(FulfilmentMethod(line["method"]).label)
                    if line.get("method") in FulfilmentMethod.values
                    else line.get("method", ""),
                    outcome=str(KIND_LABELS.get(line.get("kind"), line.get("kind", ""))),
                    served_by=served_by or "—",
                    delay_days=line.get("delay_days"),
                    why=why,
                    candidates=rows,
                )
            )
        parcels = set(home.get("parcels", []))
        home_rows = candidate_rows(home.get("candidates", []), parcels)
        plan = home.get("plan", "none")
        why_home = str(PLAN_EXPLANATIONS.get(plan, ""))
        if plan == "single_location":
            why_home = f"{why_home} {_why_won(home_rows, policy)}".strip()
        try:
            at = datetime.fromisoformat(entry.get("at", ""))
        except (TypeError, ValueError):
            at = entry.get("at", "")
        reason = entry.get("reason", "")
        found.append(
            RoutingRecord(
                at=at,
                reason=str(REASON_LABELS.get(reason, reason)),
                plan=plan,
                policy=policy,
                decisions=decisions,
                home_candidates=home_rows,
                why_home=why_home,
            )
        )
    return found


# Catchment attribution --------------------------------------------------------------------


@dataclass
class AttributedOrders:
    """The web orders credited to a store (its catchment's customers), whoever served them."""

    days: int
    count: int
    total_cents: int
    served_elsewhere: int
    recent: list


def attributed_orders(*, store: Store, days: int = 30, recent: int = 5) -> AttributedOrders:
    """The orders attributed to `store` over the last `days` (placed, not cancelled), and the
    most recent few with the locations that serve them. Three queries."""
    since = timezone.now() - timedelta(days=days)
    orders = Order.objects.filter(attributed_store=store, placed_at__gte=since).exclude(
        status__in=[Order.Status.PENDING_PAYMENT, Order.Status.CANCELLED]
    )
    served_here = apps.get_model("fulfillment", "Fulfilment").objects.filter(
        order=OuterRef("pk"), store=store
    )
    totals = orders.annotate(here=Exists(served_here)).aggregate(
        count=Count("pk"),
        total=Coalesce(Sum("total_cents"), 0),
        elsewhere=Count("pk", filter=Q(here=False)),
    )
    latest = list(
        orders.order_by("-placed_at", "-pk").prefetch_related("fulfilments__store")[:recent]
    )
    return AttributedOrders(
        days=days,
        count=totals["count"],
        total_cents=totals["total"],
        served_elsewhere=totals["elsewhere"],
        recent=latest,
    )


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
            queryset=Fulfilment.objects.select_related("store", "pickup_store").order_by("id"),
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
            queryset=Fulfilment.objects.select_related("store", "pickup_store").order_by("id"),
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
    """`store`: orders with a fulfilment served by it (or sent to it for pickup); dates are
    inclusive, in the network's
    time zone."""
    if status:
        orders = orders.filter(status=status)
    if store is not None:
        from fulfillment.models import Fulfilment

        orders = orders.filter(
            Exists(
                Fulfilment.objects.filter(order=OuterRef("pk")).filter(
                    Q(store=store) | Q(pickup_store=store)
                )
            )
        )
    if placed_from:
        orders = orders.filter(placed_at__date__gte=placed_from)
    if placed_to:
        orders = orders.filter(placed_at__date__lte=placed_to)
    return orders


# Checkout preview ----------------------------------------------------------------------------


UNAVAILABLE_BY_TRANSFER = "chosen_store_out_of_stock"


def transfer_promise(*, store_name: str, days: int | None) -> str:
    """What the customer is told of a line another store sends to their chosen store: the
    pages, the quote API and the confirmation e-mail say the same."""
    return ngettext(
        "Available at %(store)s in %(days)s day, sent from another store.",
        "Available at %(store)s in %(days)s days, sent from another store.",
        days or 0,
    ) % {"store": store_name, "days": days or 0}


@dataclass(frozen=True)
class PreviewLine:
    """A priced line and how it would be served: `available` when it can be placed as asked
    (the chosen store has it, another store can send it there, or a location can ship it), as
    place_order requires. A transfer's `served_by` is the source store, `pickup_store` the
    chosen one, and `promised_on` the longer promise."""

    quote: LineQuote
    decision: RoutingDecision
    served_by: list[tuple[Store, int]]  # (location, units) taken from its stock
    promised_on: date | None
    pickup_store: Store | None = None  # a transfer's destination (the customer's choice)

    @property
    def available(self) -> bool:
        return self.decision.kind in {DecisionKind.DIRECT, DecisionKind.TRANSFER}

    @property
    def is_transfer(self) -> bool:
        return self.decision.kind == DecisionKind.TRANSFER

    @property
    def delay_days(self) -> int | None:
        return self.decision.delay_days

    @property
    def transfer_message(self) -> str | None:
        if self.pickup_store is None:
            return None
        return transfer_promise(store_name=self.pickup_store.name, days=self.delay_days)

    @property
    def unavailable_reason(self) -> str | None:
        if self.available:
            return None
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
    location_ids = {a.location_id for d in routing.decisions for a in d.allocations} | {
        d.location_id for d in routing.decisions if d.kind == DecisionKind.TRANSFER
    }
    stores = Store.objects.in_bulk(location_ids) if location_ids else {}
    today = today or timezone.localdate()
    preview_lines = []
    for line_quote, decision in zip(priced.lines, routing.decisions, strict=True):
        served = decision.kind in {DecisionKind.DIRECT, DecisionKind.TRANSFER}
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
                pickup_store=stores[decision.location_id]
                if decision.kind == DecisionKind.TRANSFER
                else None,
            )
        )
    return CheckoutPreview(quote=priced, lines=preview_lines, parcels=len(routing.parcels))


# Carts ---------------------------------------------------------------------------------------


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
    box = {
        f"store__{key}": value
        for key, value in bounding_box(latitude, longitude, radius_km).items()
    }
    rows = (
        StockLevel.objects.filter(
            variant_id=variant_id, in_stock=True, store__status=Store.Status.ACTIVE
        )
        .exclude(store=pickup_store)
        .annotate(distance_km=distance_km_expression(latitude, longitude, prefix="store__"))
        .filter(Q(store__kind=Store.Kind.WAREHOUSE) | Q(**box, distance_km__lte=radius_km))
        .order_by("-available")
        .values_list("available", flat=True)
    )
    return rows.first() or 0


@dataclass(frozen=True)
class TransferPickup:
    """Stores near the customer that lack a variant but can have it sent from another location,
    and the promise for a collection there."""

    stores: list[Store]
    delay_days: int


def transfer_pickup_choices(
    *, variant_id: int, latitude: float, longitude: float, exclude_store_ids=(), limit: int = 5
) -> TransferPickup | None:
    """The nearest click & collect stores (not `exclude_store_ids`: those already offering the
    variant from their own stock) to which some location could send one unit, or None when
    HQ allows no transfers or no location has it. Three queries at most."""
    from stores.selectors import stores_near

    policy = OrderPolicy.current()
    if not policy.transfer_for_collect:
        return None
    stores = stores_near(
        latitude=latitude,
        longitude=longitude,
        radius_km=float(policy.max_distance_km),
        limit=limit,
        queryset=Store.objects.selling()
        .filter(offers_click_collect=True)
        .exclude(pk__in=list(exclude_store_ids)),
    )
    if not stores or not transfer_source_units(
        variant_id=variant_id, pickup_store=stores[0], policy=policy
    ):
        return None
    return TransferPickup(
        stores=stores, delay_days=policy.collect_delay_days + policy.transfer_delay_days
    )


@dataclass(frozen=True)
class CartItem:
    line: CartLine
    quote: LineQuote
    available: int
    problem: str = ""  # what stops this line being ordered as it is, in the customer's words
    # The chosen store lacks it but another store can send it there: the longer promise.
    transfer: str = ""

    @property
    def store(self) -> Store | None:
        return self.line.store


@dataclass(frozen=True)
class CartGroup:
    """Lines served the same way: home delivery, or one store and one collect method."""

    method: str
    store: Store | None
    items: list[CartItem]

    @property
    def key(self) -> str:
        return f"{self.method}-{self.store.pk if self.store else 'home'}"

    @property
    def title(self) -> str:
        if self.store is None:
            return str(FulfilmentMethod(self.method).label)
        if self.method == FulfilmentMethod.CLICK_COLLECT:
            return _("Click & collect at %(store)s") % {"store": self.store.name}
        return _("Reserve & collect at %(store)s") % {"store": self.store.name}

    @property
    def total_cents(self) -> int:
        return sum(item.quote.total_cents for item in self.items)


@dataclass(frozen=True)
class CartSummary:
    cart: Cart | None
    items: list[CartItem] = field(default_factory=list)
    quote: Quote = field(default_factory=Quote)

    @property
    def is_empty(self) -> bool:
        return not self.items

    @property
    def count(self) -> int:
        return sum(item.line.quantity for item in self.items)

    @property
    def problems(self) -> list[CartItem]:
        return [item for item in self.items if item.problem]

    @property
    def groups(self) -> list[CartGroup]:
        """Home delivery first, then each store (by name), click & collect before reserve."""
        order = {m: i for i, m in enumerate(FulfilmentMethod.values)}
        grouped: dict[tuple, list[CartItem]] = {}
        for item in self.items:
            grouped.setdefault((item.line.method, item.line.store_id), []).append(item)
        groups = [
            CartGroup(method=method, store=items[0].line.store, items=items)
            for (method, _store_id), items in grouped.items()
        ]
        return sorted(
            groups,
            key=lambda g: (g.store is not None, g.store.name if g.store else "", order[g.method]),
        )

    @property
    def has_home_delivery(self) -> bool:
        return any(i.line.method == FulfilmentMethod.HOME_DELIVERY for i in self.items)

    @property
    def pay_in_store_cents(self) -> int:
        """Reserve & collect is paid in store, if the customer buys."""
        return sum(
            item.quote.total_cents
            for item in self.items
            if item.line.method == FulfilmentMethod.RESERVE_COLLECT
        )

    @property
    def pay_online_cents(self) -> int:
        return self.quote.total_cents - self.pay_in_store_cents


def _line_problem(line: CartLine, available: int) -> str:
    variant, store, method = line.variant, line.store, line.method
    if not variant.is_active or variant.product.status != Product.Status.PUBLISHED:
        return _("This item is no longer sold.")
    if store is not None:
        offered = (
            store.offers_click_collect
            if method == FulfilmentMethod.CLICK_COLLECT
            else store.offers_reserve_collect
        )
        if store.status != Store.Status.ACTIVE:
            return _("%(store)s is not taking orders at the moment.") % {"store": store.name}
        if not offered:
            return _("%(store)s no longer offers %(method)s.") % {
                "store": store.name,
                "method": FulfilmentMethod(method).label.lower(),
            }
    if available >= line.quantity:
        return ""
    if store is None:
        if available == 0:
            return _("No longer available for home delivery.")
        return _("Only %(count)s left for home delivery.") % {"count": available}
    if available == 0:
        return _("No longer available at %(store)s.") % {"store": store.name}
    return _("Only %(count)s left at %(store)s.") % {"count": available, "store": store.name}


def cart_summary(
    cart: Cart | None, *, policy: OrderPolicy | None = None, near: Point | None = None
) -> CartSummary:
    """A cart's lines, priced by pricing.quote, each with its availability re-checked now and
    what, if anything, stops it being ordered (home delivery counted from `near`, the
    customer's place, when known). Four queries whatever the number of lines (lines, collect
    availability, home availability, store prices)."""
    if cart is None:
        return CartSummary(cart=None)
    lines = list(
        cart.lines.select_related("variant__product", "store").order_by("created_at", "id")
    )
    if not lines:
        return CartSummary(cart=cart)
    collect_pairs = [(line.store_id, line.variant_id) for line in lines if line.store_id]
    in_stores = available_to_reserve(collect_pairs) if collect_pairs else {}
    home_ids = [line.variant_id for line in lines if line.store_id is None]
    for_home = home_delivery_available(home_ids, near=near) if home_ids else {}
    priced = quote(
        [LineRequest(line.variant, line.quantity, line.method, line.store) for line in lines],
        policy=policy,
    )
    items = []
    for line, line_quote in zip(lines, priced.lines, strict=True):
        available = (
            in_stores.get((line.store_id, line.variant_id), 0)
            if line.store_id
            else for_home.get(line.variant_id, 0)
        )
        problem, transfer = _line_problem(line, available), ""
        if problem and line.store_id and available < line.quantity:
            transfer = _transfer_offer(line)
            problem = "" if transfer else problem
        items.append(CartItem(line, line_quote, available, problem, transfer))
    return CartSummary(cart=cart, items=items, quote=priced)


def _transfer_offer(line: CartLine) -> str:
    """The promise of a collect line its store can't serve from its own stock, when another
    store can send it there (as place_order would route it), else ""."""
    request = LineRequest(line.variant, line.quantity, line.method, line.store)
    point = Point(float(line.store.latitude), float(line.store.longitude))
    [preview] = preview_checkout(lines=[request], point=point).lines
    return preview.transfer_message or ""


def cart_count(cart_id: int | None) -> int:
    if cart_id is None:
        return 0
    return CartLine.objects.filter(cart_id=cart_id).aggregate(n=Sum("quantity"))["n"] or 0


def guest_cart_count(token: str) -> int:
    lines = CartLine.objects.filter(cart__token=token, cart__customer__isnull=True)
    return lines.aggregate(n=Sum("quantity"))["n"] or 0


def customer_cart_count(user) -> int:
    return CartLine.objects.filter(cart__customer=user).aggregate(n=Sum("quantity"))["n"] or 0


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


# Orders, as the customer sees them ------------------------------------------------------------


def orders_of_customer(user):
    """A signed-in customer's placed orders, newest first, with what the list shows (a
    checkout whose payment failed was never placed: it is not one of their orders)."""
    return (
        Order.objects.filter(customer=user, placed_at__isnull=False)
        .prefetch_related(
            Prefetch("fulfilments", queryset=_fulfilments().order_by("id")),
        )
        .order_by("-created_at", "-id")
    )


def _fulfilments():
    from fulfillment.models import Fulfilment

    return Fulfilment.objects.select_related("store", "pickup_store")


def order_for_tracking(number: str, *, placed_only: bool = True) -> Order | None:
    """A placed order with everything its tracking page shows, in a fixed number of queries.
    `placed_only=False` also finds one whose payment is still being confirmed (or never was:
    the checkout's confirmation page says so)."""
    from fulfillment.models import FulfilmentEvent, FulfilmentLine

    placed = {"placed_at__isnull": False} if placed_only else {}
    return (
        Order.objects.filter(number=number, **placed)
        .prefetch_related(
            "lines",
            "events",
            Prefetch("pickup_slots", queryset=PickupSlot.objects.all()),
            Prefetch(
                "fulfilments",
                queryset=_fulfilments()
                .order_by("id")
                .prefetch_related(
                    Prefetch("lines", queryset=FulfilmentLine.objects.select_related("order_line")),
                    Prefetch("events", queryset=FulfilmentEvent.objects.order_by("created_at")),
                ),
            ),
        )
        .first()
    )


# Promises: when each part of a basket will be ready -------------------------------------------


@dataclass(frozen=True)
class Promise:
    text: str
    ready_at: object = None  # the estimated moment (aware datetime) when there is one
    slots: list = field(default_factory=list)  # [(start, end)] local datetimes


MAX_SLOTS = 60


def promise_for(group: CartGroup, *, policy: OrderPolicy, now=None) -> Promise:
    """What the customer is promised for a group of the cart, in words, with the pickup slots
    of a store that offers them. Home delivery: the routing's delivery days. Click & collect:
    ready after the store's acceptance window of opening time, kept `collect_within_days`.
    Reserve & collect: held `reserve_hold_hours` once the store confirms, paid in store."""
    now = now or timezone.now()
    if group.store is None:
        # The routing's delivery delay, as the order API promises it; the shipping location is
        # only known at placement, so the longer of the warehouse's and a store's.
        days = max(policy.warehouse_delivery_days, policy.store_delivery_days)
        by = timezone.localtime(now).date() + timedelta(days=days)
        return Promise(
            _("Delivered within %(days)s days, by %(date)s.")
            % {"days": days, "date": date_format(by, "l j F")}
        )
    store = group.store
    window = timedelta(minutes=store.accept_within_minutes or policy.accept_within_minutes)
    ready = after_opening_time(store.opening_hours, start=now, duration=window)
    if ready is not None:  # promise a round time: the next quarter of an hour
        floor = ready.replace(minute=ready.minute - ready.minute % 15, second=0, microsecond=0)
        ready = floor if floor == ready else floor + timedelta(minutes=15)
    hours = _duration(window)
    if group.method == FulfilmentMethod.CLICK_COLLECT:
        text = _(
            "Ready within %(window)s of the store's opening hours%(when)s. Kept for you "
            "%(days)s days; we e-mail you a pickup code when it is ready."
        ) % {
            "window": hours,
            "when": _(", by %(moment)s") % {"moment": _moment(ready)} if ready else "",
            "days": policy.collect_within_days,
        }
        horizon_days = policy.collect_within_days
    else:
        text = _(
            "The store confirms within %(window)s of its opening hours%(when)s, then holds it "
            "for you %(hours)s hours. Nothing to pay now: you pay in store, only if you buy."
        ) % {
            "window": hours,
            "when": _(" (by %(moment)s)") % {"moment": _moment(ready)} if ready else "",
            "hours": policy.reserve_hold_hours,
        }
        horizon_days = max(1, -(-policy.reserve_hold_hours // 24))
    slots = []
    if store.pickup_slot_minutes and ready is not None:
        slots = pickup_slots(
            store.opening_hours,
            minutes=store.pickup_slot_minutes,
            earliest=ready,
            days=horizon_days,
        )[:MAX_SLOTS]
    return Promise(text, ready_at=ready, slots=slots)


def _duration(window: timedelta) -> str:
    minutes = int(window.total_seconds() // 60)
    if minutes % 60:
        return ngettext("%(count)s minute", "%(count)s minutes", minutes) % {"count": minutes}
    return ngettext("%(count)s hour", "%(count)s hours", minutes // 60) % {"count": minutes // 60}


def _moment(moment) -> str:
    local = timezone.localtime(moment, STORE_TIME_ZONE)
    today = timezone.localtime(timezone.now(), STORE_TIME_ZONE).date()
    if local.date() == today:
        return _("today at %(time)s") % {"time": f"{local:%H:%M}"}
    if local.date() == today + timedelta(days=1):
        return _("tomorrow at %(time)s") % {"time": f"{local:%H:%M}"}
    return _("%(day)s at %(time)s") % {"day": date_format(local, "l j F"), "time": f"{local:%H:%M}"}
