"""The control tower's figures on the network's state that are not orders: how fresh each
location's stock feed is, and whose payouts are held or failed (hq.selectors.control_tower
puts them on the tower)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce

from payments import ledger
from payments.models import JournalLine, Payout, PayoutHold
from payments.selectors import stores_not_payable, stores_without_payment_account
from stores.models import StockPolicy, Store
from stores.selectors.feeds import fed_locations, feed_late_before, late_feed_q, with_last_feed

from .periods import Period, within

# Stock feeds and payouts --------------------------------------------------------------------


@dataclass(frozen=True)
class StoreCounts:
    locations: int  # active locations: each should send its stock feed
    not_payable: int  # stores whose payment account cannot receive payouts
    without_account: int  # franchised stores with no payment account yet


def store_counts() -> StoreCounts:
    """The counts of stores the feeds and payouts figures show, in one query."""
    of = {
        "locations": fed_locations().values("pk"),
        "not_payable": stores_not_payable().values("store_id"),
        "without_account": stores_without_payment_account().values("pk"),
    }
    counts = Store.objects.aggregate(
        **{name: Count("pk", filter=Q(pk__in=stores)) for name, stores in of.items()}
    )
    return StoreCounts(**counts)


@dataclass
class FeedFreshness:
    max_age_hours: int
    cutoff: datetime
    locations: int = 0
    late: list[tuple[int, datetime | None]] = field(default_factory=list)  # stalest first


def feed_freshness(*, now: datetime, counts: StoreCounts) -> FeedFreshness:
    """Active locations whose last stock feed is older than HQ's limit (StockPolicy), never fed
    first. Two queries (the policy, the late ones with their last feed)."""
    policy = StockPolicy.current()
    cutoff = feed_late_before(now=now, policy=policy)
    locations = fed_locations()
    late = (
        with_last_feed(locations)
        .filter(late_feed_q(cutoff))
        .order_by(F("last_feed_at").asc(nulls_first=True), "name")
        .values_list("pk", F("last_feed_at"))
    )
    return FeedFreshness(
        max_age_hours=policy.feed_max_age_hours,
        cutoff=cutoff,
        locations=counts.locations,
        late=list(late),
    )


@dataclass
class PayoutsHeld:
    held: list[tuple[int, str, datetime, int]] = field(default_factory=list)  # id, why, since, owed
    held_owed_cents: int = 0
    failed: int = 0
    failed_cents: int = 0
    reserve_cents: int = 0
    not_payable: int = 0
    without_account: int = 0


def payouts_held(period: Period, *, counts: StoreCounts) -> PayoutsHeld:
    """Stores whose payouts HQ holds (compliance measures) with what the network owes them,
    payouts that failed in the period, what payouts of the period held back for returns, and
    stores that cannot be paid yet. Three queries."""
    result = PayoutsHeld()
    holds = list(
        PayoutHold.objects.active()
        .order_by("created_at")
        .values_list("store_id", "reason", "created_at")
    )
    owed: dict[int, int] = {}
    if holds:
        balances = (
            JournalLine.objects.filter(
                account__code=ledger.STORE_PAYABLE,
                account__store_id__in={store_id for store_id, _r, _c in holds},
            )
            .values("account__store_id")
            .annotate(balance=Coalesce(Sum("credit_cents"), 0) - Coalesce(Sum("debit_cents"), 0))
            .order_by()
        )
        owed = {row["account__store_id"]: row["balance"] for row in balances}
    seen: set[int] = set()
    for store_id, reason, since in holds:
        if store_id in seen:
            continue
        seen.add(store_id)
        result.held.append((store_id, reason, since, owed.get(store_id, 0)))
        result.held_owed_cents += max(owed.get(store_id, 0), 0)
    payouts = Payout.objects.filter(within(period, "created_at")).aggregate(
        failed=Count("id", filter=Q(status=Payout.Status.FAILED)),
        failed_cents=Coalesce(Sum("amount_cents", filter=Q(status=Payout.Status.FAILED)), 0),
        reserve=Coalesce(Sum("reserve_cents", filter=~Q(status=Payout.Status.FAILED)), 0),
    )
    result.failed, result.failed_cents = payouts["failed"], payouts["failed_cents"]
    result.reserve_cents = payouts["reserve"]
    result.not_payable, result.without_account = counts.not_payable, counts.without_account
    return result
