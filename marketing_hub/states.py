"""Lifecycles of the marketing hub, in one place. Services move orders, lines and subscriptions
only through `network_marketplace.transitions.transition`, which writes the event and audit rows.

Marketing order (a store's basket of HQ-approved marketing)
cart → placed            the store placed it: budget and co-funding consumed
placed → in_review       a rule asks HQ to look (free text, above a quantity or amount, always)
placed → approved        auto-approved: only store fields changed
in_review → approved     HQ approved it (the store's share is charged line by line)
in_review → rejected     HQ rejected it with a reason: budget and co-funding given back
placed, in_review, approved → cancelled   the store cancelled before production
approved → in_production → shipped → received   follows its lines (supplier, then the store)

Marketing order line (the supplier's unit of work)
pending → approved → in_production → shipped → received
pending → rejected, cancelled;  approved → cancelled (before production: credit note if charged)

Subscription (a digital pack)
active ⇄ paused;  active, paused → cancelling (ends at the plan's notice) → ended
active, paused → ended (ended at once, when the commitment allows)
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from network_marketplace.transitions import Lifecycle, WebhookEvent
from network_marketplace.webhooks import EVENT_TYPES

from .models import (
    MarketingOrder,
    MarketingOrderEvent,
    MarketingOrderLine,
    Subscription,
    SubscriptionEvent,
)

MO = MarketingOrder.Status

MARKETING_ORDER_TRANSITIONS: dict[str, set[str]] = {
    MO.CART: {MO.PLACED},
    MO.PLACED: {MO.IN_REVIEW, MO.APPROVED, MO.CANCELLED},
    MO.IN_REVIEW: {MO.APPROVED, MO.REJECTED, MO.CANCELLED},
    MO.APPROVED: {MO.IN_PRODUCTION, MO.CANCELLED},
    MO.IN_PRODUCTION: {MO.SHIPPED},
    MO.SHIPPED: {MO.RECEIVED},
    MO.RECEIVED: set(),
    MO.CANCELLED: set(),
    MO.REJECTED: set(),
}

# The webhook each move of a marketing order sends (registered in MarketingHubConfig.ready()).
MARKETING_ORDER_EVENTS: dict[str, str] = {
    MO.PLACED: "marketing_order.placed",
    MO.APPROVED: "marketing_order.approved",
    MO.REJECTED: "marketing_order.rejected",
    MO.SHIPPED: "marketing_order.shipped",
    MO.RECEIVED: "marketing_order.received",
    MO.CANCELLED: "marketing_order.cancelled",
}

EVENT_TYPES.update(
    {
        "marketing_order.placed": gettext_lazy("A store placed a marketing order."),
        "marketing_order.approved": gettext_lazy(
            "A marketing order was approved (by its rules or by HQ) and charged."
        ),
        "marketing_order.rejected": gettext_lazy("HQ rejected a marketing order, with a reason."),
        "marketing_order.shipped": gettext_lazy("Every line of a marketing order was shipped."),
        "marketing_order.received": gettext_lazy("The store received its marketing order."),
        "marketing_order.cancelled": gettext_lazy("The store cancelled a marketing order."),
    }
)


def _order_webhooks(order: MarketingOrder, previous: str) -> list[WebhookEvent]:
    event_type = MARKETING_ORDER_EVENTS.get(order.status)
    if event_type is None:
        return []
    return [
        WebhookEvent(
            event_type=event_type,
            store_id=order.store_id,
            event_id=f"{event_type}:{order.pk}",
            data={
                "number": order.number,
                "status": order.status,
                "previous_status": previous,
                "total_excl_vat_cents": order.total_excl_vat_cents,
                "store_share_cents": order.store_share_cents,
                "hq_share_cents": order.hq_share_cents,
            },
        )
    ]


MARKETING_ORDER_LIFECYCLE = Lifecycle(
    name="marketing_order",
    model=MarketingOrder,
    moves=MARKETING_ORDER_TRANSITIONS,
    event_model=MarketingOrderEvent,
    event_parent="order",
    store_of=lambda order: order.store_id,
    webhooks=_order_webhooks,
    audit_data=lambda order: {"number": order.number, "store_share_cents": order.store_share_cents},
    illegal_message=gettext_lazy("A marketing order can't go from “%(current)s” to “%(target)s”."),
)

ML = MarketingOrderLine.Status

MARKETING_LINE_TRANSITIONS: dict[str, set[str]] = {
    ML.PENDING: {ML.APPROVED, ML.REJECTED, ML.CANCELLED},
    ML.APPROVED: {ML.IN_PRODUCTION, ML.CANCELLED},
    ML.IN_PRODUCTION: {ML.SHIPPED},
    ML.SHIPPED: {ML.RECEIVED},
    ML.RECEIVED: set(),
    ML.REJECTED: set(),
    ML.CANCELLED: set(),
}

MARKETING_LINE_LIFECYCLE = Lifecycle(
    name="marketing_order_line",
    model=MarketingOrderLine,
    moves=MARKETING_LINE_TRANSITIONS,
    store_of=lambda line: line.order.store_id,
    audit_data=lambda line: {"order": line.order_id, "item": line.item_reference},
    illegal_message=gettext_lazy(
        "A marketing order line can't go from “%(current)s” to “%(target)s”."
    ),
)

S = Subscription.Status

SUBSCRIPTION_TRANSITIONS: dict[str, set[str]] = {
    S.ACTIVE: {S.PAUSED, S.CANCELLING, S.ENDED},
    S.PAUSED: {S.ACTIVE, S.CANCELLING, S.ENDED},
    S.CANCELLING: {S.ENDED},
    S.ENDED: set(),
}

SUBSCRIPTION_WEBHOOK = "marketing.subscription.updated"


def _subscription_webhooks(subscription: Subscription, previous: str) -> list[WebhookEvent]:
    return [
        WebhookEvent(
            event_type=SUBSCRIPTION_WEBHOOK,
            store_id=subscription.store_id,
            event_id=f"{SUBSCRIPTION_WEBHOOK}:{subscription.pk}:{previous}:{subscription.status}",
            data={
                "id": subscription.pk,
                "plan": subscription.plan_id,
                "from": previous,
                "status": subscription.status,
                "ends_on": str(subscription.ends_on or ""),
            },
        )
    ]


SUBSCRIPTION_LIFECYCLE = Lifecycle(
    name="subscription",
    model=Subscription,
    moves=SUBSCRIPTION_TRANSITIONS,
    event_model=SubscriptionEvent,
    event_parent="subscription",
    store_of=lambda subscription: subscription.store_id,
    audit_data=lambda subscription: {"plan": subscription.plan_id},
    webhooks=_subscription_webhooks,
    illegal_message=gettext_lazy("A subscription can't go from “%(current)s” to “%(target)s”."),
)
