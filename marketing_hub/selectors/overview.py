"""What a store sees first in its Marketing section: the budget of the current period and what is
left of it, the co-funding HQ still offers under each rule running today, the campaigns running,
its cart, its latest orders and its digital packs. A fixed number of queries, whatever the store's
history (the page's test guards it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from stores.models import Store

from ..models import (
    Budget,
    Campaign,
    CoFundingRule,
    CoFundingUsage,
    MarketingOrder,
    Subscription,
)

LATEST_ORDERS = 6
# Orders the store is waiting on: HQ's review, the supplier's work, the delivery.
WAITING_STATUSES = (
    MarketingOrder.Status.PLACED,
    MarketingOrder.Status.IN_REVIEW,
    MarketingOrder.Status.APPROVED,
    MarketingOrder.Status.IN_PRODUCTION,
    MarketingOrder.Status.SHIPPED,
)


@dataclass(frozen=True)
class BudgetSummary:
    """The budget covering today: amounts in cents excl. VAT, `percent_spent` from 0 to 100."""

    budget: Budget
    amount_cents: int
    spent_cents: int
    left_cents: int
    percent_spent: int


@dataclass(frozen=True)
class CoFundingLeft:
    """One co-funding rule running today, seen from one store: its cap for the store's period,
    what HQ has co-funded so far, and what is left."""

    rule: CoFundingRule
    cap_cents: int
    used_cents: int
    left_cents: int

    @property
    def percent(self) -> Decimal:
        """HQ's share in per cent (the rule keeps basis points: 5000 → 50)."""
        return Decimal(self.rule.percent_bp) / 100


@dataclass(frozen=True)
class MarketingOverview:
    today: date
    budget: BudgetSummary | None
    cofunding: list[CoFundingLeft] = field(default_factory=list)
    campaigns: list[Campaign] = field(default_factory=list)
    cart: MarketingOrder | None = None
    cart_lines: int = 0
    cart_total_cents: int = 0
    latest_orders: list[MarketingOrder] = field(default_factory=list)
    waiting_orders: int = 0
    in_review_orders: int = 0
    subscriptions: list[Subscription] = field(default_factory=list)


def budget_covering(*, store: Store, on: date) -> Budget | None:
    """The store's budget whose period contains `on` (periods never overlap: one per start)."""
    return (
        Budget.objects.filter(store=store, starts_on__lte=on, ends_on__gte=on)
        .order_by("-starts_on")
        .first()
    )


def budget_summary(budget: Budget | None) -> BudgetSummary | None:
    if budget is None:
        return None
    amount, spent = budget.amount_cents, budget.spent_cents
    percent = min(100, round(spent * 100 / amount)) if amount > 0 else 100
    return BudgetSummary(
        budget=budget,
        amount_cents=amount,
        spent_cents=spent,
        left_cents=max(0, amount - spent),
        percent_spent=percent,
    )


def running_cofunding_rules(*, on: date) -> QuerySet[CoFundingRule]:
    """HQ's active co-funding rules whose dates contain `on`, with their item and campaign."""
    return (
        CoFundingRule.objects.filter(is_active=True, starts_on__lte=on, ends_on__gte=on)
        .select_related("item", "campaign")
        .order_by("ends_on", "name")
    )


def cofunding_left(*, store: Store, on: date) -> list[CoFundingLeft]:
    """For each rule running on `on`: the store's cap, what it used and what is left. A store
    that has not used a rule yet has its whole cap; the counter of the latest period started
    within the rule's dates is the one that counts (two queries in all)."""
    rules = list(running_cofunding_rules(on=on))
    usages: dict[int, CoFundingUsage] = {}
    for counter in CoFundingUsage.objects.filter(
        store=store, rule__in=rules, period_start__lte=on
    ).order_by("rule_id", "period_start"):
        usages[counter.rule_id] = counter  # the latest period wins
    result = []
    for rule in rules:
        usage: CoFundingUsage | None = usages.get(rule.pk)
        if usage is not None and usage.period_start < rule.starts_on:
            usage = None
        cap = usage.cap_cents if usage is not None else rule.cap_per_store_cents
        used = usage.used_cents if usage is not None else 0
        result.append(
            CoFundingLeft(rule=rule, cap_cents=cap, used_cents=used, left_cents=max(0, cap - used))
        )
    return result


def running_campaigns(*, on: date) -> QuerySet[Campaign]:
    """Campaigns whose dates contain `on`, with the number of active items each groups."""
    return (
        Campaign.objects.filter(starts_on__lte=on, ends_on__gte=on)
        .annotate(item_count=Count("items", filter=Q(items__is_active=True)))
        .order_by("ends_on", "name")
    )


def store_marketing_orders(store: Store) -> QuerySet[MarketingOrder]:
    """The store's placed orders (not its cart), newest first: the one tenancy-scoped start."""
    return MarketingOrder.objects.filter(store=store).exclude(status=MarketingOrder.Status.CART)


def marketing_overview(*, store: Store, today: date | None = None) -> MarketingOverview:
    """Everything the Marketing overview page shows for `store` on `today` (default: today)."""
    today = today or timezone.localdate()
    # A cart's totals are only written when it is placed: its lines' prices until then.
    cart = (
        MarketingOrder.objects.filter(store=store, status=MarketingOrder.Status.CART)
        .annotate(line_count=Count("lines"), lines_total_cents=Sum("lines__price_cents"))
        .first()
    )
    orders = store_marketing_orders(store)
    counts = orders.aggregate(
        waiting=Count("pk", filter=Q(status__in=WAITING_STATUSES)),
        in_review=Count("pk", filter=Q(status=MarketingOrder.Status.IN_REVIEW)),
    )
    latest: list[MarketingOrder] = list(
        orders.annotate(line_count=Count("lines")).order_by("-placed_at", "-id")[:LATEST_ORDERS]
    )
    subscriptions = list(
        Subscription.objects.filter(store=store)
        .exclude(status=Subscription.Status.ENDED)
        .select_related("plan")
        .order_by("plan__pack", "plan__name")
    )
    return MarketingOverview(
        today=today,
        budget=budget_summary(budget_covering(store=store, on=today)),
        cofunding=cofunding_left(store=store, on=today),
        campaigns=list(running_campaigns(on=today)),
        cart=cart,
        cart_lines=getattr(cart, "line_count", 0) if cart is not None else 0,
        cart_total_cents=(getattr(cart, "lines_total_cents", 0) or 0) if cart is not None else 0,
        latest_orders=latest,
        waiting_orders=counts["waiting"],
        in_review_orders=counts["in_review"],
        subscriptions=subscriptions,
    )
