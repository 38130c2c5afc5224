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

MARKETING_ORDER_LIFECYCLE = Lifecycle(
    name="marketing_order",
    model=MarketingOrder,
    moves=MARKETING_ORDER_TRANSITIONS,
    event_model=MarketingOrderEvent,
    event_parent="order",
    store_of=lambda order: order.store_id,
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
