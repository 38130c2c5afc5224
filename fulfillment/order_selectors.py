"""Orders with their fulfilments, as pages and the API show them: a customer's orders, one order
to follow, order lists with each part's store, the web orders attributed to a store. Here, above
orders, because they read fulfilments (orders knows nothing of them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from orders.models import Order, OrderEvent, OrderLine, PickupSlot
from stores.models import Store

from .models import Fulfilment, FulfilmentEvent, FulfilmentLine


@dataclass
class AttributedOrders:
    """The web orders credited to a store (its catchment's customers), whoever served them."""

    days: int
    count: int
    total_cents: int
    served_elsewhere: int
    recent: list[Order]  # the latest few, each with `served_by`: its locations' names, once each


def attributed_orders(*, store: Store, days: int = 30, recent: int = 5) -> AttributedOrders:
    """The orders attributed to `store` over the last `days` (placed, not cancelled), and the
    most recent few with the locations that serve them. Three queries."""
    since = timezone.now() - timedelta(days=days)
    orders = Order.objects.filter(attributed_store=store, placed_at__gte=since).exclude(
        status__in=[Order.Status.PENDING_PAYMENT, Order.Status.CANCELLED]
    )
    served_here = Fulfilment.objects.filter(order=OuterRef("pk"), store=store)
    totals = orders.annotate(here=Exists(served_here)).aggregate(
        count=Count("pk"),
        total=Coalesce(Sum("total_cents"), 0),
        elsewhere=Count("pk", filter=Q(here=False)),
    )
    latest = list(
        orders.order_by("-placed_at", "-pk").prefetch_related("fulfilments__store")[:recent]
    )
    for order in latest:
        # Several parts served by one store (a collect line and a parcel) name it once.
        order.served_by = list(dict.fromkeys(f.store.name for f in order.fulfilments.all()))
    return AttributedOrders(
        days=days,
        count=totals["count"],
        total_cents=totals["total"],
        served_elsewhere=totals["elsewhere"],
        recent=latest,
    )


def with_order_summary(orders: QuerySet[Order]) -> QuerySet[Order]:
    """What an order list shows: the totals and each fulfilment's store. Three queries a page,
    whatever its length."""
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


def orders_of_customer(user: Any) -> QuerySet[Order]:
    """A signed-in customer's placed orders, newest first, with what the list shows (a
    checkout whose payment failed was never placed: it is not one of their orders)."""
    return (
        Order.objects.filter(customer=user, placed_at__isnull=False)
        .prefetch_related(
            Prefetch("fulfilments", queryset=_fulfilments().order_by("id")),
            Prefetch("pickup_slots", queryset=PickupSlot.objects.all()),
        )
        .order_by("-created_at", "-id")
    )


def _fulfilments() -> QuerySet[Fulfilment]:
    return Fulfilment.objects.select_related("store", "pickup_store")


def order_for_tracking(number: str, *, placed_only: bool = True) -> Order | None:
    """A placed order with everything its tracking page shows, in a fixed number of queries.
    `placed_only=False` also finds one whose payment is still being confirmed (or never was:
    the checkout's confirmation page says so)."""
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
