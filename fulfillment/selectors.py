"""Reads of the fulfillment app: a store's queue as its POS or the back-office sees it, what a
customer may still return, and who sees which return.

The withdrawal period (14 days, Code de la consommation art. L221-18) runs from the day the
goods reached the customer: the handover for click & collect, the carrier's delivery for home
delivery. When a carrier never reported the delivery, it is counted from the shipping day plus
DELIVERY_ALLOWANCE (the usual delivery time), so a customer is never cut short by a missing scan.
The period ends at the end of its 14th day, in the network's time zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import Prefetch, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from orders.models import FulfilmentMethod, Order
from stores.models import Store

from .models import Fulfilment, FulfilmentEvent, FulfilmentLine, Return, ReturnLine
from .states import COUNTED_RETURN_STATUSES, OPEN_STATUSES, RETURNABLE_STATUSES


def with_fulfilment_details(fulfilments: QuerySet[Fulfilment]) -> QuerySet[Fulfilment]:
    """A fulfilment with its order, store, lines (and their order line) and events: four
    queries for a page, whatever its length."""
    return fulfilments.select_related("order", "store").prefetch_related(
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


WITHDRAWAL_DAYS = 14
# Added to the shipping time when the carrier did not report the delivery.
DELIVERY_ALLOWANCE = timedelta(days=3)

S = Fulfilment.Status


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


def _with_lines(queryset):
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
    return _with_lines(queryset).order_by("-created_at", "-pk")


def return_for_desk(*, store: Store, number: str) -> Return | None:
    """A return the desk of `store` may open: one of its own (received at it or of its sales),
    or one still to be received that the customer brought here with its number (any store that
    accepts returns takes them). None otherwise, so other stores' returns don't leak."""
    number = (number or "").strip().upper()
    if not number:
        return None
    visible = Return.objects.for_store(store).filter(number=number)
    found = _with_lines(visible).first()
    if found is not None:
        return found
    if not store.accepts_returns:
        return None
    return _with_lines(Return.objects.filter(number=number, status=Return.Status.REQUESTED)).first()


def customer_returns(user):
    return _with_lines(Return.objects.for_customer(user)).order_by("-created_at", "-pk")


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
