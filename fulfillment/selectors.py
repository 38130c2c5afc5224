"""Reads of the fulfillment app: the store's order desk (the queue of open fulfilments, the
history, pick lists, endless aisle), a store's fulfilments as its POS reads them through the API,
what a customer may still return, and who sees which return.

The withdrawal period (14 days, Code de la consommation art. L221-18) runs from the day the
goods reached the customer: the handover for click & collect, the carrier's delivery for home
delivery. When a carrier never reported the delivery, it is counted from the shipping day plus
DELIVERY_ALLOWANCE (the usual delivery time), so a customer is never cut short by a missing scan.
The period ends at the end of its 14th day, in the network's time zone.

Every function starts from `Fulfilment.objects.for_store(store)`: a store sees only the
fulfilments it serves (HQ reaches any store's desk through the back-office's store resolution).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import Case, CharField, Count, F, Prefetch, Q, QuerySet, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog.models import Variant
from catalog.selectors import search_products
from orders.models import FulfilmentMethod, Order
from stores.models import StockLevel, Store
from stores.selectors import (
    NearbyOffer,
    VariantAvailability,
    network_availability,
    stores_with_variant_near,
)

from .models import Fulfilment, FulfilmentEvent, FulfilmentLine, Return, ReturnLine
from .states import (
    COUNTED_RETURN_STATUSES,
    OPEN_STATUSES,
    RETURNABLE_STATUSES,
    can_move,
    store_performs,
)

S = Fulfilment.Status
HOME = FulfilmentMethod.HOME_DELIVERY
CLICK = FulfilmentMethod.CLICK_COLLECT
RESERVE = FulfilmentMethod.RESERVE_COLLECT


@dataclass(frozen=True)
class QueueBucket:
    """A tab of the order queue: what the store has to do next for these fulfilments."""

    key: str
    label: str
    hint: str


BUCKETS = (
    QueueBucket(
        "to_accept",
        gettext_lazy("To accept"),
        gettext_lazy("Accept or reject before the deadline."),
    ),
    QueueBucket(
        "to_pick", gettext_lazy("To pick"), gettext_lazy("Take the items from the shelves.")
    ),
    QueueBucket(
        "ready",
        gettext_lazy("Ready for pickup"),
        gettext_lazy("Waiting for the customer and their code."),
    ),
    QueueBucket(
        "to_ship", gettext_lazy("To ship"), gettext_lazy("Picked: pack and hand to the carrier.")
    ),
    QueueBucket(
        "to_send",
        gettext_lazy("To send to a store"),
        gettext_lazy("Picked for another store's customer: send it to that store."),
    ),
    QueueBucket(
        "incoming",
        gettext_lazy("Incoming transfers"),
        gettext_lazy(
            "Sent by another store for your customers: receive them when they arrive, then "
            "make them ready."
        ),
    ),
    QueueBucket(
        "reserve",
        gettext_lazy("Reserve & collect"),
        gettext_lazy("Held for the customer to try in store."),
    ),
)
BUCKET_KEYS = {bucket.key for bucket in BUCKETS}
# A transfer's goods have left the source store: it's the pickup store's business now.
SENT_STATUSES = {S.IN_TRANSIT, S.RECEIVED, S.READY_FOR_PICKUP}
# A transfer the pickup store waits for (or has just received, to make ready).
INCOMING_STATUSES = {S.AWAITING_ACCEPTANCE, S.ACCEPTED, S.PICKED, S.IN_TRANSIT, S.RECEIVED}


def _bucket(store: Store) -> Case:
    """The bucket of an open fulfilment for `store`, in SQL so that counts and filters are one
    query: a transfer is "incoming" at its pickup store, "to send" at its source once picked."""
    return Case(
        When(pickup_store=store, status__in=INCOMING_STATUSES, then=Value("incoming")),
        When(status=S.AWAITING_ACCEPTANCE, then=Value("to_accept")),
        When(status=S.PICKED, pickup_store__isnull=False, then=Value("to_send")),
        When(method=RESERVE, then=Value("reserve")),
        When(status=S.ACCEPTED, then=Value("to_pick")),
        When(status=S.PICKED, method=CLICK, then=Value("to_pick")),
        When(status=S.PICKED, method=HOME, then=Value("to_ship")),
        When(status=S.READY_FOR_PICKUP, then=Value("ready")),
        default=Value("to_pick"),
        output_field=CharField(),
    )


def _sent_away(store: Store) -> Q:
    """The transfers `store` sent that are still open at their pickup store."""
    return Q(store=store, pickup_store__isnull=False, status__in=SENT_STATUSES)


def _open_for(store: Store) -> QuerySet:
    return (
        Fulfilment.objects.for_store(store)
        .open()
        .exclude(_sent_away(store))
        .annotate(bucket=_bucket(store))
    )


def _with_lines(queryset: QuerySet) -> QuerySet:
    lines = FulfilmentLine.objects.select_related(
        "order_line", "order_line__variant", "order_line__variant__product"
    ).order_by("order_line_id")
    return queryset.select_related("order", "store", "pickup_store").prefetch_related(
        Prefetch("lines", queryset=lines)
    )


def _search(queryset: QuerySet, query: str) -> QuerySet:
    """An order number (or its digits), or the customer's name or e-mail."""
    query = query.strip()
    if not query:
        return queryset
    condition = (
        Q(order__number__icontains=query)
        | Q(order__last_name__icontains=query)
        | Q(order__first_name__icontains=query)
        | Q(order__email__icontains=query)
    )
    return queryset.filter(condition)


def open_fulfilments(*, store: Store, bucket: str = "", query: str = "") -> QuerySet:
    """The store's open fulfilments, annotated with their `bucket`, soonest deadline first
    (the ready ones by the date they must be collected)."""
    queryset = _open_for(store)
    if bucket in BUCKET_KEYS:
        queryset = queryset.filter(bucket=bucket)
    return _with_lines(_search(queryset, query)).order_by("accept_deadline", "collect_before", "id")


def queue_counts(store: Store) -> dict[str, int]:
    """How many open fulfilments each tab holds, plus "open" (all) and "overdue"
    (not accepted by their deadline). One query."""
    now = timezone.now()
    rows = (
        _open_for(store)
        .values("bucket")
        .annotate(
            n=Count("id"),
            late=Count("id", filter=Q(status=S.AWAITING_ACCEPTANCE, accept_deadline__lt=now)),
        )
        .order_by()
    )
    counts = {bucket.key: 0 for bucket in BUCKETS}
    counts["open"] = counts["overdue"] = 0
    for row in rows:
        counts[row["bucket"]] = row["n"]
        counts["open"] += row["n"]
        counts["overdue"] += row["late"]
    return counts


def awaiting_count(store: Store) -> int:
    """The number in the back-office navigation: fulfilments waiting for the store's answer."""
    return Fulfilment.objects.for_store(store).filter(status=S.AWAITING_ACCEPTANCE).count()


def closed_fulfilments(*, store: Store, query: str = "") -> QuerySet:
    """The store's history: fulfilments that ended (and transfers it sent), most recent first."""
    queryset = Fulfilment.objects.for_store(store).filter(
        ~Q(status__in=OPEN_STATUSES) | _sent_away(store)
    )
    return _with_lines(_search(queryset, query)).order_by(
        F("closed_at").desc(nulls_first=True), "-id"
    )


def fulfilment_for_store(*, store: Store, fulfilment_id: int) -> Fulfilment | None:
    """One fulfilment of the store with its order, lines and events; None for another store's."""
    return (
        _with_lines(Fulfilment.objects.for_store(store))
        .prefetch_related("events")
        .filter(pk=fulfilment_id)
        .first()
    )


def pick_list(*, store: Store, fulfilment_id: int | None = None) -> list[Fulfilment]:
    """What to take from the shelves: one fulfilment, or every accepted one of the store
    (oldest deadline first)."""
    queryset = Fulfilment.objects.for_store(store)
    if fulfilment_id is not None:
        queryset = queryset.filter(pk=fulfilment_id)
    else:
        queryset = queryset.filter(status=S.ACCEPTED)
    return list(_with_lines(queryset).order_by("accept_deadline", "id"))


# What a fulfilment's page offers: the moves states.py allows from its status, for its method.
ACTIONS = (
    ("accept", S.ACCEPTED),
    ("reject", S.REJECTED),
    ("pick", S.PICKED),
    ("ready", S.READY_FOR_PICKUP),
    ("hand_over", S.COLLECTED),
    ("ship", S.SHIPPED),
    ("ship_transfer", S.IN_TRANSIT),
    ("receive", S.RECEIVED),
    ("purchased", S.PURCHASED_IN_STORE),
    ("not_purchased", S.NOT_PURCHASED),
)


def available_actions(fulfilment: Fulfilment, store: Store | None = None) -> set[str]:
    """The actions `store` may take now (cancellation and timeouts are not the store's); a
    transfer's source and pickup store each have their own steps (None: HQ, either)."""
    store_id = store.pk if store is not None else None
    found = {
        name
        for name, target in ACTIONS
        if can_move(fulfilment, target) and store_performs(fulfilment, store_id, target)
    }
    if (
        fulfilment.status == S.READY_FOR_PICKUP
        and fulfilment.method == CLICK
        and store_performs(fulfilment, store_id, S.READY_FOR_PICKUP)
    ):
        found.add("reissue_code")
    return found


def is_overdue(fulfilment: Fulfilment, now: datetime | None = None) -> bool:
    """Past the date the store had to answer by (awaiting) or the customer had to come by."""
    now = now or timezone.now()
    if fulfilment.status == S.AWAITING_ACCEPTANCE:
        return bool(fulfilment.accept_deadline and fulfilment.accept_deadline < now)
    if fulfilment.status == S.READY_FOR_PICKUP:
        return bool(fulfilment.collect_before and fulfilment.collect_before < now)
    return False


# Endless aisle -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AisleRow:
    """A variant as the endless aisle lists it: here, in the network, in the warehouse."""

    variant: Variant
    here: int
    store_price_cents: int | None
    network: VariantAvailability

    @property
    def price_here_cents(self) -> int:
        return self.store_price_cents or self.variant.rrp_cents


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


# The API's reads -----------------------------------------------------------------------------


def with_fulfilment_details(fulfilments: QuerySet[Fulfilment]) -> QuerySet[Fulfilment]:
    """A fulfilment with its order, store, lines (and their order line) and events: four
    queries for a page, whatever its length."""
    return fulfilments.select_related("order", "store", "pickup_store").prefetch_related(
        Prefetch(
            "lines",
            queryset=FulfilmentLine.objects.select_related("order_line").order_by("id"),
        ),
        Prefetch("events", queryset=FulfilmentEvent.objects.order_by("created_at", "id")),
    )


def store_fulfilments(
    *,
    store: Store,
    statuses: list[str] | None = None,
    method: str = "",
    updated_since: datetime | None = None,
    order_number: str = "",
) -> QuerySet[Fulfilment]:
    """The fulfilments `store` serves, oldest change first, so that a POS that polls with
    `updated_since` (the last `updated_at` it saw, inclusive) pages through every change."""
    fulfilments = Fulfilment.objects.for_store(store)
    if statuses:
        fulfilments = fulfilments.filter(status__in=statuses)
    if method:
        fulfilments = fulfilments.filter(method=method)
    if updated_since is not None:
        fulfilments = fulfilments.filter(updated_at__gte=updated_since)
    if order_number:
        fulfilments = fulfilments.filter(order__number=order_number)
    return with_fulfilment_details(fulfilments).order_by("updated_at", "id")


# Returns -----------------------------------------------------------------------------------

WITHDRAWAL_DAYS = 14
# Added to the shipping time when the carrier did not report the delivery.
DELIVERY_ALLOWANCE = timedelta(days=3)


def goods_received_at(fulfilment: Fulfilment) -> datetime | None:
    """When the goods reached the customer (or are deemed to have), or None if not yet."""
    if fulfilment.status == S.COLLECTED:
        return fulfilment.closed_at
    if fulfilment.status == S.DELIVERED:
        return fulfilment.delivered_at or fulfilment.closed_at
    if fulfilment.status == S.SHIPPED and fulfilment.closed_at:
        return fulfilment.closed_at + DELIVERY_ALLOWANCE
    return None


def withdrawal_deadline(fulfilment: Fulfilment) -> datetime | None:
    """The last moment a return may be started: the end of the 14th day after receipt."""
    received = goods_received_at(fulfilment)
    if received is None:
        return None
    last_day = timezone.localtime(received).date() + timedelta(days=WITHDRAWAL_DAYS)
    return timezone.make_aware(datetime.combine(last_day, time.max))


@dataclass(frozen=True)
class ReturnableLine:
    """One fulfilment line of an order, as the return form shows it."""

    fulfilment_line: FulfilmentLine
    received_quantity: int
    returning_quantity: int  # already in a return that is not cancelled
    deadline: datetime | None
    refusal: str  # why none of it can be returned now; "" when some can

    @property
    def order_line(self):
        return self.fulfilment_line.order_line

    @property
    def seller_store(self) -> Store:
        return self.fulfilment_line.fulfilment.store

    @property
    def returnable_quantity(self) -> int:
        if self.refusal:
            return 0
        return max(self.received_quantity - self.returning_quantity, 0)


def returning_quantities(fulfilment_line_ids) -> dict[int, int]:
    """Units of each fulfilment line already in a return that is not cancelled."""
    rows = (
        ReturnLine.objects.filter(
            fulfilment_line_id__in=list(fulfilment_line_ids),
            return_request__status__in=COUNTED_RETURN_STATUSES,
        )
        .values("fulfilment_line_id")
        .annotate(units=Sum("quantity"))
    )
    return {row["fulfilment_line_id"]: row["units"] for row in rows}


def returnable_lines(order: Order, *, now: datetime | None = None) -> list[ReturnableLine]:
    """Every fulfilment line of `order` with what may still be returned of it and, when
    nothing may, why (not received yet, paid in store, period over, all already returned).
    Three queries."""
    now = now or timezone.now()
    lines = list(
        FulfilmentLine.objects.filter(fulfilment__order=order)
        # A part that ended without a sale (rejected and re-routed, cancelled, not collected)
        # was never the customer's: it is not shown at all.
        .filter(fulfilment__status__in=OPEN_STATUSES | RETURNABLE_STATUSES | {S.PURCHASED_IN_STORE})
        .select_related("fulfilment__store", "order_line")
        .order_by("order_line_id", "fulfilment_id")
    )
    returning = returning_quantities(line.pk for line in lines)
    result = []
    for line in lines:
        fulfilment = line.fulfilment
        deadline = withdrawal_deadline(fulfilment)
        if fulfilment.method == FulfilmentMethod.RESERVE_COLLECT:
            refusal = _(
                "Reserved and paid in store: it is not a distance sale, so it can't be returned "
                "online. Ask the store where you bought it."
            )
        elif fulfilment.status not in RETURNABLE_STATUSES:
            refusal = _("Not received yet: it can be returned once you have it.")
        elif deadline is not None and now > deadline:
            refusal = _("The 14-day return period ended on %(date)s.") % {
                "date": timezone.localtime(deadline).strftime("%d/%m/%Y")
            }
        elif returning.get(line.pk, 0) >= line.quantity:
            refusal = _("Already being returned.")
        else:
            refusal = ""
        result.append(
            ReturnableLine(
                fulfilment_line=line,
                received_quantity=line.quantity,
                returning_quantity=returning.get(line.pk, 0),
                deadline=deadline,
                refusal=refusal,
            )
        )
    return result


def order_for_guest(*, number: str, email: str) -> Order | None:
    """The order a guest names by its number and its e-mail (both must match), or None."""
    number, email = (number or "").strip().upper(), (email or "").strip()
    if not number or not email:
        return None
    return (
        Order.objects.filter(number__iexact=number, email__iexact=email)
        .exclude(status=Order.Status.PENDING_PAYMENT)
        .first()
    )


def stores_accepting_returns():
    """The stores a customer may bring a return to: active, not a warehouse, accepting returns."""
    return Store.objects.selling().filter(accepts_returns=True).order_by("city", "name")


def return_warehouse() -> Store | None:
    """Where returns sent by post go: the first active warehouse that accepts returns."""
    return (
        Store.objects.filter(
            kind=Store.Kind.WAREHOUSE, status=Store.Status.ACTIVE, accepts_returns=True
        )
        .order_by("pk")
        .first()
    )


def _return_with_lines(queryset):
    return queryset.select_related("order", "store").prefetch_related(
        Prefetch(
            "lines",
            queryset=ReturnLine.objects.select_related("order_line", "seller_store").order_by("pk"),
        )
    )


# What a returns desk lists: to receive here, received here, or returns of the store's sales.
DESK_VIEWS = ("to_receive", "received", "sales")


def store_returns(*, store: Store, view: str = "to_receive", status: str = ""):
    """A store's returns for the desk, newest first, with their lines (two queries a page)."""
    if view == "sales":
        queryset = Return.objects.filter(
            pk__in=ReturnLine.objects.filter(seller_store=store).values("return_request_id")
        )
    elif view == "received":
        queryset = Return.objects.filter(store=store).exclude(
            status__in=[Return.Status.REQUESTED, Return.Status.CANCELLED]
        )
    else:
        queryset = Return.objects.filter(store=store, status=Return.Status.REQUESTED)
    if status:
        queryset = queryset.filter(status=status)
    return _return_with_lines(queryset).order_by("-created_at", "-pk")


def return_for_desk(*, store: Store, number: str) -> Return | None:
    """A return the desk of `store` may open: one of its own (received at it or of its sales),
    or one still to be received that the customer brought here with its number (any store that
    accepts returns takes them). None otherwise, so other stores' returns don't leak."""
    number = (number or "").strip().upper()
    if not number:
        return None
    visible = Return.objects.for_store(store).filter(number=number)
    found = _return_with_lines(visible).first()
    if found is not None:
        return found
    if not store.accepts_returns:
        return None
    return _return_with_lines(
        Return.objects.filter(number=number, status=Return.Status.REQUESTED)
    ).first()


def customer_returns(user):
    return _return_with_lines(Return.objects.for_customer(user)).order_by("-created_at", "-pk")


def return_summary(store: Store) -> dict:
    """The dashboard's figures: returns waiting at the desk, and the store's sales reversed."""
    waiting = Return.objects.filter(store=store, status=Return.Status.REQUESTED).count()
    to_finish = Return.objects.filter(
        store=store, status__in=[Return.Status.RECEIVED, Return.Status.INSPECTED]
    ).count()
    reversed_cents = (
        ReturnLine.objects.filter(
            seller_store=store, return_request__status=Return.Status.REFUNDED
        ).aggregate(total=Sum("refund_cents"))["total"]
        or 0
    )
    return {"waiting": waiting, "to_finish": to_finish, "reversed_cents": reversed_cents}


@dataclass(frozen=True)
class ReturnExposure:
    """What customers may still get back of a store's sales, in cents (prices paid, VAT
    included): the returns of its sales in progress, and its sales still in their withdrawal
    period that no return claims yet. Payouts hold it back."""

    open_returns_cents: int
    open_returns_count: int
    withdrawal_cents: int
    withdrawal_sales_count: int

    @property
    def total_cents(self) -> int:
        return self.open_returns_cents + self.withdrawal_cents


def return_exposure(store: Store, *, now: datetime | None = None) -> ReturnExposure:
    """The refundable value of `store`'s sales at risk of a return, at `now`. Three queries.

    An open return (requested, received, inspected) counts its lines of this store's sales at
    the refund the inspection decided, or at the price paid before it; a sale whose withdrawal
    period still runs counts its units not yet in any return at the price paid.
    """
    now = now or timezone.now()
    open_lines = ReturnLine.objects.filter(
        seller_store=store,
        return_request__status__in=[
            Return.Status.REQUESTED,
            Return.Status.RECEIVED,
            Return.Status.INSPECTED,
        ],
    )
    totals = open_lines.aggregate(
        cents=Sum(
            Case(
                When(return_request__status=Return.Status.INSPECTED, then="refund_cents"),
                default=F("order_line__unit_price_cents") * F("quantity"),
            )
        ),
        returns=Count("return_request", distinct=True),
    )
    # Goods received more than the period (and the shipping allowance) ago are out of it.
    horizon = now - timedelta(days=WITHDRAWAL_DAYS + 1) - DELIVERY_ALLOWANCE
    lines = list(
        FulfilmentLine.objects.filter(
            fulfilment__store=store,
            fulfilment__status__in=RETURNABLE_STATUSES,
        )
        .filter(Q(fulfilment__closed_at__gte=horizon) | Q(fulfilment__delivered_at__gte=horizon))
        .select_related("fulfilment", "order_line")
    )
    returning = returning_quantities(line.pk for line in lines)
    at_risk_cents, sales = 0, set()
    for line in lines:
        deadline = withdrawal_deadline(line.fulfilment)
        units = line.quantity - returning.get(line.pk, 0)
        if deadline is None or deadline < now or units <= 0:
            continue
        at_risk_cents += units * line.order_line.unit_price_cents
        sales.add(line.fulfilment_id)
    return ReturnExposure(
        open_returns_cents=totals["cents"] or 0,
        open_returns_count=totals["returns"] or 0,
        withdrawal_cents=at_risk_cents,
        withdrawal_sales_count=len(sales),
    )
