"""Budgets and HQ's co-funding: what a store may spend on marketing per period, and what HQ pays
of a line under its co-funding rules, up to a cap per store and period.

Consuming is like stock: one conditional UPDATE per row (`spent + x <= amount`, `used + x <=
cap`) with a CHECK constraint behind it, in the placing transaction. Concurrent orders wait on
the row the first one updated and re-check the condition when it commits: a budget or a cap is
never overspent, whatever the interleaving. Every consumption and give-back of a budget is a
BudgetMovement row, so what is spent can be explained.

A co-funding cap counts per store and rule over the rule's dates (`CoFundingUsage`,
`period_start` = the rule's first day).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from network_marketplace.errors import DomainError
from stores.models import Store

from ..models import (
    Budget,
    BudgetMovement,
    CoFundingRule,
    CoFundingUsage,
    MarketingItem,
    MarketingOrder,
    MarketingOrderLine,
)


class OverBudget(DomainError):
    """The store's share of an order is more than what is left of its budget."""

    code = "over_budget"
    http_status = 409


def percent_of(amount_cents: int, basis_points: int) -> int:
    """`basis_points` of `amount_cents`, half up (as every split of the platform)."""
    return (amount_cents * basis_points + 5000) // 10000


# Budgets


def budget_for(*, store: Store, on: date | None = None) -> Budget | None:
    """The budget covering `on` (today) for `store`: the shortest period when a quarter and a
    year overlap (the quarter is the tighter promise)."""
    on = on or timezone.localdate()
    budgets = Budget.objects.filter(store=store, starts_on__lte=on, ends_on__gte=on)
    return min(budgets, key=lambda b: (b.ends_on - b.starts_on, b.pk), default=None)


def consume_budget(*, budget: Budget, order: MarketingOrder, amount_cents: int) -> Budget:
    """Take `amount_cents` from `budget` for `order`, or raise OverBudget (nothing taken).
    One conditional UPDATE: concurrent orders can't overspend."""
    if amount_cents <= 0:
        return budget
    taken = Budget.objects.filter(
        pk=budget.pk, spent_cents__lte=F("amount_cents") - amount_cents
    ).update(spent_cents=F("spent_cents") + amount_cents)
    if not taken:
        budget.refresh_from_db()
        raise OverBudget(
            _("This order needs %(needed)s of budget but only %(left)s is left for this period.")
            % {"needed": _euros(amount_cents), "left": _euros(budget.left_cents)},
            needed_cents=amount_cents,
            left_cents=budget.left_cents,
        )
    BudgetMovement.objects.create(
        budget=budget, order=order, kind=BudgetMovement.Kind.CONSUMED, amount_cents=amount_cents
    )
    budget.refresh_from_db()
    return budget


def release_budget(*, order: MarketingOrder, amount_cents: int) -> None:
    """Give `amount_cents` of `order`'s budget back (a line rejected or cancelled); never more
    than the order still holds."""
    if order.budget_id is None or amount_cents <= 0:
        return
    held = order_budget_held_cents(order)
    amount = min(amount_cents, held)
    if amount <= 0:
        return
    Budget.objects.filter(pk=order.budget_id).update(spent_cents=F("spent_cents") - amount)
    BudgetMovement.objects.create(
        budget_id=order.budget_id,
        order=order,
        kind=BudgetMovement.Kind.RELEASED,
        amount_cents=amount,
    )


def order_budget_held_cents(order: MarketingOrder) -> int:
    """What `order` holds of its budget now: consumed less given back."""
    sums = BudgetMovement.objects.filter(order=order).aggregate(
        consumed=Sum("amount_cents", filter=Q(kind=BudgetMovement.Kind.CONSUMED)),
        released=Sum("amount_cents", filter=Q(kind=BudgetMovement.Kind.RELEASED)),
    )
    return (sums["consumed"] or 0) - (sums["released"] or 0)


# Co-funding


@dataclass(frozen=True)
class CoFunding:
    """What HQ pays of one line under `rule` (None: nothing), and what was left of the cap."""

    rule: CoFundingRule | None
    hq_share_cents: int
    cap_left_cents: int = 0


NO_COFUNDING = CoFunding(rule=None, hq_share_cents=0)


def applicable_rules(*, item: MarketingItem, on: date) -> list[CoFundingRule]:
    """The active rules that cover `item` on `on` (by item, kind of item or campaign)."""
    matches = Q(item=item) | Q(item__isnull=True, item_kind=item.kind, campaign__isnull=True)
    if item.campaign_id:
        matches |= Q(item__isnull=True, campaign_id=item.campaign_id)
    return list(
        CoFundingRule.objects.filter(matches, is_active=True, starts_on__lte=on, ends_on__gte=on)
        .filter(Q(item_kind="") | Q(item_kind=item.kind))
        .order_by("pk")
    )


def cap_left_cents(*, rule: CoFundingRule, store: Store) -> int:
    usage = CoFundingUsage.objects.filter(
        rule=rule, store=store, period_start=rule.starts_on
    ).first()
    used = usage.used_cents if usage else 0
    return max(rule.cap_per_store_cents - used, 0)


def cofunding_for(
    *, store: Store, item: MarketingItem, amount_cents: int, on: date | None = None
) -> CoFunding:
    """HQ's share of a line of `amount_cents` excl. VAT: the best applicable rule (the one that
    pays most now, given what is left of each cap for `store`), its percent of the line up to
    what is left of its cap. A read: `consume_cofunding` takes it."""
    on = on or timezone.localdate()
    best = NO_COFUNDING
    for rule in applicable_rules(item=item, on=on):
        left = cap_left_cents(rule=rule, store=store)
        share = min(percent_of(amount_cents, rule.percent_bp), left)
        if share > best.hq_share_cents:
            best = CoFunding(rule=rule, hq_share_cents=share, cap_left_cents=left)
    return best


def consume_cofunding(*, store: Store, rule: CoFundingRule, wanted_cents: int) -> int:
    """Take up to `wanted_cents` of `rule`'s cap for `store`; returns what was taken (less when
    a concurrent order took the rest first, 0 when the cap is spent). Conditional UPDATEs on
    the usage row, which a CHECK keeps within its cap."""
    if wanted_cents <= 0:
        return 0
    CoFundingUsage.objects.bulk_create(
        [
            CoFundingUsage(
                rule=rule,
                store=store,
                period_start=rule.starts_on,
                cap_cents=rule.cap_per_store_cents,
            )
        ],
        ignore_conflicts=True,
    )
    usage = CoFundingUsage.objects.filter(rule=rule, store=store, period_start=rule.starts_on)
    while wanted_cents > 0:
        if usage.filter(used_cents__lte=F("cap_cents") - wanted_cents).update(
            used_cents=F("used_cents") + wanted_cents
        ):
            return wanted_cents
        # Another order took part of the cap: take what is left of it now (row locked by us
        # from here on only if the update succeeds, so read and retry with less).
        row = usage.values("cap_cents", "used_cents").first()
        wanted_cents = min(wanted_cents, row["cap_cents"] - row["used_cents"]) if row else 0
    return 0


def release_cofunding(*, lines: Iterable[MarketingOrderLine]) -> None:
    """Give back the co-funding `lines` took (they were rejected or cancelled)."""
    for line in sorted(lines, key=lambda ln: (ln.cofunding_rule_id or 0, ln.pk)):
        if line.cofunding_rule_id is None or not line.hq_share_cents:
            continue
        rule = line.cofunding_rule
        CoFundingUsage.objects.filter(
            rule=rule,
            store_id=line.order.store_id,
            period_start=rule.starts_on,  # type: ignore[union-attr]  # checked above
        ).update(used_cents=F("used_cents") - line.hq_share_cents)


def give_back(*, order: MarketingOrder, lines: list[MarketingOrderLine]) -> None:
    """Budget and co-funding of `lines` (just rejected or cancelled) back to the store and the
    caps. Call it in the transaction that moved them."""
    with transaction.atomic():
        release_cofunding(lines=lines)
        release_budget(order=order, amount_cents=sum(line.store_share_cents for line in lines))


def _euros(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100:,}".replace(",", "\u202f") + f",{cents % 100:02d} €"
