"""When a home delivery ships late: the one definition HQ's control tower and the fulfilments'
admin filter share.

The customer is promised delivery within the longer of the warehouse's and a store's delivery
days (checkout.selectors.promises, OrderPolicy); carriers deliver the day after a parcel leaves,
so a parcel must leave within that promise less `CARRIER_DAYS` of the order being placed. One
that left later (shipped or delivered), or that has not left and is already past it, is late.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.expressions import Combinable

from orders.models import FulfilmentMethod, Order, OrderPolicy

from ..models import Fulfilment

S = Fulfilment.Status
CARRIER_DAYS = 1
SHIPPED_STATUSES = (S.SHIPPED, S.DELIVERED)
# Home deliveries still to leave the location.
TO_SHIP_STATUSES = (S.AWAITING_ACCEPTANCE, S.ACCEPTED, S.PICKED)


def shipping_window(policy: OrderPolicy | None = None) -> timedelta:
    """How long after the order is placed its parcel may leave and still arrive as promised."""
    policy = policy or OrderPolicy.current()
    days = max(policy.warehouse_delivery_days, policy.store_delivery_days) - CARRIER_DAYS
    return timedelta(days=max(days, 0))


def shipped_late_q(
    window: timedelta, *, prefix: str = "", placed_at: Combinable | None = None
) -> Q:
    """Home deliveries that left (`closed_at` is the shipping time) after the window.

    `placed_at` is when the order was placed: the joined order's column by default. A count over
    many fulfilments passes `order_placed_at()` instead, so the order is read only for the
    parcels that left rather than joined for every fulfilment. The method and status come first:
    PostgreSQL evaluates a condition's terms in the order written."""
    if placed_at is None:
        placed_at = F(f"{prefix}order__placed_at")
    return Q(
        **{
            f"{prefix}method": FulfilmentMethod.HOME_DELIVERY,
            f"{prefix}status__in": SHIPPED_STATUSES,
        }
    ) & Q(**{f"{prefix}closed_at__gt": placed_at + window})


def order_placed_at() -> Subquery:
    """When a fulfilment's order was placed, as a subquery on the order's primary key."""
    return Subquery(Order.objects.filter(pk=OuterRef("order_id")).order_by().values("placed_at"))


def late_to_ship_q(window: timedelta, *, now: datetime, prefix: str = "") -> Q:
    """Home deliveries not shipped yet whose window has already passed at `now`."""
    return Q(
        **{
            f"{prefix}method": FulfilmentMethod.HOME_DELIVERY,
            f"{prefix}status__in": TO_SHIP_STATUSES,
            f"{prefix}order__placed_at__lt": now - window,
        }
    )
