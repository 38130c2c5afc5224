"""Billing the digital packs: once per subscription and calendar month, through the hub's one
way to charge a store (`charging.charge_store`: the store's share booked through payments, netted
from its next payout, and HQ's invoice).

Idempotent per subscription and period, twice over: a `SubscriptionCharge` row is unique per
(subscription, kind, period start), and the charge's reference (`subscription:<id>:<yyyy-mm>`)
is unique in the ledger. Each subscription is billed in its own short transaction that locks
its row, checks for the month's charge, charges and writes the row: a run killed half-way
leaves every subscription either billed (committed) or untouched (rolled back), and the next
run bills only the others. Two runs at once wait on the row lock and the second finds the
charge.

The rules written down:
- a month is billed in advance, on the 1st (the beat job), at the plan of that day; the first
  month is billed on subscribing, for its remaining days;
- a subscription paused when its month is billed is not billed for that month; resuming bills
  the rest of the month; pausing does not refund the month already billed;
- a subscription that ends (notice, commitment) is billed up to its end day, excluded;
- a downgrade scheduled for the 1st applies before that month is billed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date

from django.db import connections, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from network_marketplace.audit import Actor, record_audit_event
from payments.models import Invoice

from ..models import Subscription, SubscriptionCharge
from .charging import ChargeLine, charge_store
from .periods import month_start, next_month, period_fee_cents

logger = logging.getLogger(__name__)

SYSTEM_ACTOR = "system:marketing-billing"
BILLABLE = (Subscription.Status.ACTIVE, Subscription.Status.CANCELLING)


def period_reference(subscription_id: int, period: date) -> str:
    return f"subscription:{subscription_id}:{period:%Y-%m}"


def billable_subscriptions(period: date) -> QuerySet[Subscription]:
    """Subscriptions live during `period`'s month and billable now (not paused, not ended),
    not yet billed for it, in primary key order (the job's lock order)."""
    first, after = month_start(period), next_month(period)
    return (
        Subscription.objects.filter(status__in=BILLABLE, started_on__lt=after)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=first))
        .exclude(
            Exists(
                SubscriptionCharge.objects.filter(
                    subscription=OuterRef("pk"),
                    kind=SubscriptionCharge.Kind.PERIOD,
                    period_start=first,
                )
            )
        )
        .order_by("pk")
    )


def bill_subscription(
    *,
    subscription: Subscription,
    period: date,
    actor: Actor = SYSTEM_ACTOR,
    from_day: date | None = None,
) -> SubscriptionCharge | None:
    """Bill `subscription` for `period`'s month (from `from_day` on, when it starts later),
    once: returns the charge made, or None when the month is already billed, or not billable
    (paused, ended, not live that month, nothing to pay). Locks the subscription's row."""
    first, after = month_start(period), next_month(period)
    with transaction.atomic():
        subscription = (
            Subscription.objects.select_for_update()
            .select_related("plan", "store")
            .get(pk=subscription.pk)
        )
        if SubscriptionCharge.objects.filter(
            subscription=subscription, kind=SubscriptionCharge.Kind.PERIOD, period_start=first
        ).exists():
            return None
        _apply_scheduled_plan(subscription, period=first, actor=actor)
        if subscription.status not in BILLABLE:
            return None
        start = max(subscription.started_on, from_day or subscription.started_on)
        end = subscription.ends_on
        if start >= after or (end is not None and end <= first):
            return None
        plan = subscription.plan
        amount = period_fee_cents(plan.price_cents, first, start=start, end=end)
        if amount <= 0:
            return None
        reference = period_reference(subscription.pk, first)
        label = _("%(plan)s, %(month)s") % {"plan": plan.name, "month": f"{first:%m/%Y}"}
        invoice = charge_store(
            store=subscription.store,
            reference=reference,
            label=label,
            lines=[
                ChargeLine(
                    label=label,
                    amount_excl_vat_cents=amount,
                    vat_rate_bp=plan.vat_rate_bp,
                )
            ],
            actor=actor,
        )
        return SubscriptionCharge.objects.create(
            subscription=subscription,
            kind=SubscriptionCharge.Kind.PERIOD,
            period_start=first,
            period_end=min(after, end) if end is not None else after,
            amount_excl_vat_cents=amount,
            vat_rate_bp=plan.vat_rate_bp,
            reference=reference,
            invoice=invoice if isinstance(invoice, Invoice) else None,
        )


def _apply_scheduled_plan(subscription: Subscription, *, period: date, actor: Actor) -> None:
    """A downgrade waits for the 1st of the month it was scheduled for (row locked)."""
    if subscription.next_plan_id is None or subscription.next_plan_from is None:
        return
    if subscription.next_plan_from > period:
        return
    previous = subscription.plan_id
    subscription.plan_id = subscription.next_plan_id
    subscription.next_plan = None
    subscription.next_plan_from = None
    subscription.save(update_fields=["plan", "next_plan", "next_plan_from"])
    record_audit_event(
        actor=actor,
        action="subscription.plan_changed",
        target=subscription,
        store_id=subscription.store_id,
        data={"from_plan": previous, "to_plan": subscription.plan_id, "on": str(period)},
    )


@dataclass
class BillingReport:
    period: date
    billed: list[int] = field(default_factory=list)  # subscription ids billed by this run
    skipped: int = 0
    failed: dict[int, str] = field(default_factory=dict)

    @property
    def total_cents(self) -> int:
        return sum(
            SubscriptionCharge.objects.filter(
                subscription_id__in=self.billed,
                kind=SubscriptionCharge.Kind.PERIOD,
                period_start=self.period,
            ).values_list("amount_excl_vat_cents", flat=True)
        )


def run_billing(
    *,
    period: date | None = None,
    actor: Actor = SYSTEM_ACTOR,
    ids: Iterable[int] | None = None,
    workers: int = 1,
) -> BillingReport:
    """Bill every billable subscription for `period`'s month (default: this month), each once,
    one by one in its own transaction. A subscription whose charge fails is reported and
    left for the next run; the others are billed.

    `workers` > 1 bills in that many threads, each with its own database connection, over
    disjoint subscriptions (they meet only on the invoice series' counter row, taken last and
    held to each commit: no lock cycle). The data must be committed (threads see nothing of
    the caller's open transaction)."""
    first = month_start(period or timezone.localdate())
    candidates = billable_subscriptions(first)
    if ids is not None:
        candidates = candidates.filter(pk__in=list(ids))
    todo = list(candidates.values_list("pk", flat=True))
    if workers <= 1 or len(todo) < 2:
        return _bill(todo, period=first, actor=actor)
    shares = [todo[index::workers] for index in range(workers)]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        reports = list(pool.map(lambda share: _bill_in_thread(share, first, actor), shares))
    report = BillingReport(period=first)
    for part in reports:
        report.billed += part.billed
        report.skipped += part.skipped
        report.failed.update(part.failed)
    return report


def _bill_in_thread(subscription_ids: list[int], period: date, actor: Actor) -> BillingReport:
    try:
        return _bill(subscription_ids, period=period, actor=actor)
    finally:
        connections.close_all()


def _bill(subscription_ids: list[int], *, period: date, actor: Actor) -> BillingReport:
    report = BillingReport(period=period)
    for subscription_id in subscription_ids:
        subscription = Subscription(pk=subscription_id)
        try:
            charge = bill_subscription(subscription=subscription, period=period, actor=actor)
        except Exception as error:  # one store's failure must not stop the network's billing
            logger.exception("billing subscription %s for %s failed", subscription_id, period)
            report.failed[subscription_id] = str(error)
            continue
        if charge is None:
            report.skipped += 1
        else:
            report.billed.append(subscription_id)
    return report
