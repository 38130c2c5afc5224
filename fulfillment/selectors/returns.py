"""Reads of returns: what a customer may still return, and within which period, who sees which
return (the customer, the receiving desk, the seller store), and the value of a store's sales
still at risk of a return (what payouts hold back).

The withdrawal period (14 days, Code de la consommation art. L221-18) runs from the day the
goods reached the customer: the handover for click & collect, the carrier's delivery for home
delivery. When a carrier never reported the delivery, it is counted from the shipping day plus
DELIVERY_ALLOWANCE (the usual delivery time), so a customer is never cut short by a missing scan.
The period ends at the end of its 14th day, in the network's time zone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.contrib.auth.models import AnonymousUser
from django.db.models import Case, Count, F, Prefetch, Q, QuerySet, Sum, When
from django.utils import timezone
from django.utils.translation import gettext as _

from network_marketplace.models import User
from orders.models import FulfilmentMethod, Order, OrderLine
from stores.models import Store

from ..models import Fulfilment, FulfilmentLine, Return, ReturnLine
from ..states import COUNTED_RETURN_STATUSES, OPEN_STATUSES, RETURNABLE_STATUSES

S = Fulfilment.Status

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
    def order_line(self) -> OrderLine:
        return self.fulfilment_line.order_line

    @property
    def seller_store(self) -> Store:
        return self.fulfilment_line.fulfilment.store

    @property
    def returnable_quantity(self) -> int:
        if self.refusal:
            return 0
        return max(self.received_quantity - self.returning_quantity, 0)


def returning_quantities(fulfilment_line_ids: Iterable[int]) -> dict[int, int]:
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


def stores_accepting_returns() -> QuerySet[Store]:
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


def _return_with_lines(queryset: QuerySet[Return]) -> QuerySet[Return]:
    return queryset.select_related("order", "store").prefetch_related(
        Prefetch(
            "lines",
            queryset=ReturnLine.objects.select_related("order_line", "seller_store").order_by("pk"),
        )
    )


# What a returns desk lists: to receive here, received here, or returns of the store's sales.
DESK_VIEWS = ("to_receive", "received", "sales")


def store_returns(*, store: Store, view: str = "to_receive", status: str = "") -> QuerySet[Return]:
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


def customer_returns(user: User | AnonymousUser) -> QuerySet[Return]:
    """The returns of the customer's orders, newest first, with their lines (none for a
    visitor who is not signed in)."""
    return _return_with_lines(Return.objects.for_customer(user)).order_by("-created_at", "-pk")


def return_summary(store: Store) -> dict[str, int]:
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
