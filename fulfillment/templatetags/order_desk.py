"""The order desk's small template helpers: the navigation's count and status badges."""

from __future__ import annotations

from django import template

from fulfillment.models import Fulfilment
from fulfillment.order_selectors import attributed_orders
from fulfillment.selectors import is_overdue, queue_counts

register = template.Library()

S = Fulfilment.Status
BADGE_OF_STATUS = {
    S.AWAITING_ACCEPTANCE: "badge--warn",
    S.ACCEPTED: "badge--info",
    S.PICKED: "badge--info",
    S.IN_TRANSIT: "badge--warn",
    S.RECEIVED: "badge--info",
    S.READY_FOR_PICKUP: "badge--ok",
    S.COLLECTED: "badge--ok",
    S.SHIPPED: "badge--ok",
    S.PURCHASED_IN_STORE: "badge--ok",
    S.NOT_PURCHASED: "",
    S.REJECTED: "badge--danger",
    S.TIMED_OUT: "badge--danger",
    S.UNCOLLECTED: "badge--danger",
    S.CANCELLED: "badge--danger",
}


@register.filter
def status_badge(status: str) -> str:
    return BADGE_OF_STATUS.get(status, "")


@register.filter
def overdue(fulfilment) -> bool:
    return is_overdue(fulfilment)


@register.filter
def status_label(status: str) -> str:
    """A fulfilment status as the staff reads it (events keep the raw value)."""
    try:
        return S(status).label
    except ValueError:
        return status


@register.simple_tag
def store_orders_summary(store):
    """The dashboard's order cards: the queue's counts and the orders attributed to the store."""
    return {"queue": queue_counts(store), "attributed": attributed_orders(store=store)}
