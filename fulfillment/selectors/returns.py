"""Reads of returns: what a customer may still return, and within which period, who sees which
return (the customer, the receiving desk, the seller store), and the value of a store's sales
still at risk of a return (what payouts hold back).

The withdrawal period of each part (14 days from the day after receipt, a split order's parcels
from the last one, none for reserve & collect or an exempt product, extended past weekends and
public holidays) is counted by fulfillment/withdrawal.py; here the rows are read for it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import AnonymousUser
from django.db.models import Case, Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Sum, When
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from network_marketplace.models import User
from orders.models import FulfilmentMethod, Order, OrderLine
from stores.models import Store

from ..models import Fulfilment, FulfilmentLine, Return, ReturnLine
from ..states import COUNTED_RETURN_STATUSES, OPEN_STATUSES, RETURNABLE_STATUSES
from ..withdrawal import DELIVERY_ALLOWANCE, PartDeadline, part_deadline, withdrawal_days

S = Fulfilment.Status

# Kept for the callers that read the default; the period itself is settings.WITHDRAWAL_DAYS.
WITHDRAWAL_DAYS = 14
# The parts of an order that count for the "last parcel" rule: on their way, or received.
COUNTED_PART_STATUSES = OPEN_STATUSES | RETURNABLE_STATUSES


def goods_received_at(fulfilment: Fulfilment) -> datetime | None:
    """When the goods reached the customer (or are deemed to have), or None if not yet."""
    if fulfilment.status == S.COLLECTED:
        return fulfilment.closed_at
    if fulfilment.status == S.DELIVERED:
        return fulfilment.delivered_at or fulfilment.closed_at
    if fulfilment.status == S.SHIPPED and fulfilment.closed_at:
        return fulfilment.closed_at + DELIVERY_ALLOWANCE
    return None


def _deadline(fulfilment: Fulfilment, siblings: Iterable[Fulfilment]) -> PartDeadline:
    others = (
        [
            goods_received_at(other)
            for other in siblings
            if other.pk != fulfilment.pk
            and other.method == FulfilmentMethod.HOME_DELIVERY
            and other.status in COUNTED_PART_STATUSES
        ]
        if fulfilment.method == FulfilmentMethod.HOME_DELIVERY
        else []
    )
    return part_deadline(
        reserve_and_collect=fulfilment.method == FulfilmentMethod.RESERVE_COLLECT,
        received_at=goods_received_at(fulfilment),
        other_parcels=others,
    )


def part_deadlines(fulfilments: Iterable[Fulfilment]) -> dict[int, PartDeadline]:
    """The withdrawal period of each fulfilment, by id. A home-delivery part counts from the
    last parcel of its order: the order's other parcels are read (one query, none when no
    part is a parcel)."""
    fulfilments = list(fulfilments)
    parcel_orders = {
        part.order_id for part in fulfilments if part.method == FulfilmentMethod.HOME_DELIVERY
    }
    siblings: dict[int, list[Fulfilment]] = defaultdict(list)
    if parcel_orders:
        for other in Fulfilment.objects.filter(
            order_id__in=parcel_orders, method=FulfilmentMethod.HOME_DELIVERY
        ).only("pk", "order_id", "method", "status", "closed_at", "delivered_at"):
            siblings[other.order_id].append(other)
    return {part.pk: _deadline(part, siblings.get(part.order_id, [])) for part in fulfilments}


def withdrawal_deadline(fulfilment: Fulfilment) -> datetime | None:
    """The last moment of the fulfilment's withdrawal period (None: none, or not started)."""
    return part_deadlines([fulfilment])[fulfilment.pk].ends_at


def local_date(moment: datetime) -> str:
    return date_format(timezone.localtime(moment).date(), "SHORT_DATE_FORMAT")


@dataclass(frozen=True)
class ReturnableLine:
    """One fulfilment line of an order, as the return and withdrawal forms show it."""

    fulfilment_line: FulfilmentLine
    received_quantity: int
    returning_quantity: int  # already in a return that is not cancelled
    period: PartDeadline
    refusal: str  # why none of it can be returned now; "" when some can
    exempt: bool = False  # HQ flagged the product as exempt from the right of withdrawal

    @property
    def deadline(self) -> datetime | None:
        return self.period.ends_at

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


def period_over_text(period: PartDeadline) -> str:
    return _("The %(days)s-day withdrawal period ended on %(date)s.") % {
        "days": withdrawal_days(),
        "date": local_date(period.ends_at) if period.ends_at else "",
    }


def returnable_lines(order: Order, *, now: datetime | None = None) -> list[ReturnableLine]:
    """Every fulfilment line of `order` with what may still be returned of it and, when
    nothing may, why (not received yet, paid in store, period over, all already returned).
    Four queries."""
    now = now or timezone.now()
    lines = list(
        FulfilmentLine.objects.filter(fulfilment__order=order)
        # A part that ended without a sale (rejected and re-routed, cancelled, not collected)
        # was never the customer's: it is not shown at all.
        .filter(fulfilment__status__in=OPEN_STATUSES | RETURNABLE_STATUSES | {S.PURCHASED_IN_STORE})
        .select_related("fulfilment__store", "order_line__variant__product")
        .order_by("order_line_id", "fulfilment_id")
    )
    returning = returning_quantities(line.pk for line in lines)
    periods = part_deadlines({line.fulfilment_id: line.fulfilment for line in lines}.values())
    result = []
    for line in lines:
        fulfilment = line.fulfilment
        period = periods[fulfilment.pk]
        if fulfilment.method == FulfilmentMethod.RESERVE_COLLECT:
            refusal = _(
                "Reserved and paid in store: it is not a distance sale, so it can't be returned "
                "online. Ask the store where you bought it."
            )
        elif fulfilment.status not in RETURNABLE_STATUSES:
            refusal = _("Not received yet: it can be returned once you have it.")
        elif period.expired_at(now):
            refusal = period_over_text(period)
        elif returning.get(line.pk, 0) >= line.quantity:
            refusal = _("Already being returned.")
        else:
            refusal = ""
        result.append(
            ReturnableLine(
                fulfilment_line=line,
                received_quantity=line.quantity,
                returning_quantity=returning.get(line.pk, 0),
                period=period,
                refusal=refusal,
                exempt=line.order_line.variant.product.withdrawal_exempt,
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
    # Goods whose order's last part was received more than the period (with the shipping
    # allowance and a week for weekends and holidays) ago are out of it.
    horizon = now - timedelta(days=withdrawal_days() + 8) - DELIVERY_ALLOWANCE
    recent = Fulfilment.objects.filter(order_id=OuterRef("fulfilment__order_id")).filter(
        Q(closed_at__gte=horizon) | Q(delivered_at__gte=horizon)
    )
    lines = list(
        FulfilmentLine.objects.filter(
            fulfilment__store=store,
            fulfilment__status__in=RETURNABLE_STATUSES,
        )
        .filter(Exists(recent))
        .select_related("fulfilment", "order_line")
    )
    returning = returning_quantities(line.pk for line in lines)
    periods = part_deadlines({line.fulfilment_id: line.fulfilment for line in lines}.values())
    at_risk_cents, sales = 0, set()
    for line in lines:
        period = periods[line.fulfilment_id]
        units = line.quantity - returning.get(line.pk, 0)
        if not period.has_right or period.expired_at(now) or units <= 0:
            continue
        at_risk_cents += units * line.order_line.unit_price_cents
        sales.add(line.fulfilment_id)
    return ReturnExposure(
        open_returns_cents=totals["cents"] or 0,
        open_returns_count=totals["returns"] or 0,
        withdrawal_cents=at_risk_cents,
        withdrawal_sales_count=len(sales),
    )
