"""Reads for the digital packs: the plans a store may subscribe to, its subscriptions and
deliverables (the tenancy rule: a store sees its own, HQ all), the feed behind a secret URL."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from stores.models import Store
from stores.selectors import stores_visible_to

from ..models import Deliverable, Subscription, SubscriptionPlan
from ..services.feed_tokens import feed_digest
from ..services.periods import month_start, next_month


def offered_plans() -> QuerySet[SubscriptionPlan]:
    return SubscriptionPlan.objects.filter(is_active=True).order_by("pack", "price_cents")


def store_subscriptions(store: Store) -> QuerySet[Subscription]:
    """A store's subscriptions, live first, newest first."""
    return (
        Subscription.objects.filter(store=store)
        .select_related("plan", "next_plan")
        .order_by("status", "-started_on", "-pk")
    )


def subscriptions_visible_to(principal: Any) -> QuerySet[Subscription]:
    return Subscription.objects.filter(store__in=stores_visible_to(principal)).select_related(
        "plan", "store", "next_plan"
    )


def store_deliverables(store: Store) -> QuerySet[Deliverable]:
    return (
        Deliverable.objects.filter(store=store)
        .select_related("subscription__plan")
        .order_by("-period_start", "kind")
    )


def deliverables_visible_to(principal: Any) -> QuerySet[Deliverable]:
    return Deliverable.objects.filter(store__in=stores_visible_to(principal)).select_related(
        "store", "subscription__plan"
    )


def next_billing_day(subscription: Subscription, *, today: date | None = None) -> date | None:
    """The 1st the subscription is next billed on, or None when it won't be."""
    today = today or timezone.localdate()
    if subscription.status not in (Subscription.Status.ACTIVE, Subscription.Status.CANCELLING):
        return None
    upcoming = next_month(month_start(today))
    if subscription.ends_on is not None and subscription.ends_on <= upcoming:
        return None
    return upcoming


def subscription_for_feed(secret: str) -> Subscription | None:
    """The live local ads subscription whose feed URL carries `secret`, or None (unknown,
    renewed, paused or ended: a 404)."""
    if not secret or len(secret) > 100:
        return None
    today = timezone.localdate()
    return (
        Subscription.objects.filter(
            feed_token=feed_digest(secret),
            plan__pack=SubscriptionPlan.Pack.LOCAL_ADS,
            status__in=(Subscription.Status.ACTIVE, Subscription.Status.CANCELLING),
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=today))
        .select_related("store", "plan")
        .first()
    )
