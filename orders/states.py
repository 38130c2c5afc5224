"""An order's lifecycle: the allowed moves between statuses, in one place."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from network_marketplace.transitions import Lifecycle, WebhookEvent

from .models import Order, OrderEvent

S = Order.Status

TRANSITIONS: dict[str, set[str]] = {
    S.PENDING_PAYMENT: {S.PLACED, S.CANCELLED},
    S.PLACED: {S.IN_PROGRESS, S.COMPLETED, S.CANCELLED},
    S.IN_PROGRESS: {S.COMPLETED, S.CANCELLED},
    S.COMPLETED: set(),
    S.CANCELLED: set(),
}


# The webhook each move of an order sends to its attributed store's endpoints (and HQ's).
EVENT_OF_ORDER_STATUS = {
    S.IN_PROGRESS: "order.updated",
    S.COMPLETED: "order.completed",
    S.CANCELLED: "order.cancelled",
}


def _order_webhooks(order: Order, previous: str) -> list[WebhookEvent]:
    event_type = EVENT_OF_ORDER_STATUS.get(order.status)
    if event_type is None or previous == S.PENDING_PAYMENT:
        return []  # placing announces the order itself (order.created, with its lines)
    return [
        WebhookEvent(
            event_type=event_type,
            store_id=order.attributed_store_id,
            event_id=f"{event_type}:{order.pk}:{order.status}",
            data={"order": order.number, "status": order.status, "previous_status": previous},
        )
    ]


ORDER_LIFECYCLE = Lifecycle(
    name="order",
    model=Order,
    moves=TRANSITIONS,
    event_model=OrderEvent,
    event_parent="order",
    store_of=lambda order: order.attributed_store_id,
    webhooks=_order_webhooks,
    illegal_message=gettext_lazy("An order can't go from “%(current)s” to “%(target)s”."),
)
