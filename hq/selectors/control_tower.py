"""The control tower's figures: the whole network over a period, and now.

Every figure is an aggregate query over the records the other apps keep (orders and their lines,
fulfilments, the audit trail of re-routings, cancellations and stock feeds, returns, payout
holds, payouts and the ledger): nothing is copied, so nothing can drift. Each function makes a
fixed number of queries, whatever the number of stores: per-store figures come from one grouped
query, never one query per store. `docs/control-tower.md` defines each figure.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, cast

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import TruncDate

from fulfillment.models import Fulfilment, Return, ReturnLine
from fulfillment.selectors import (
    late_to_ship_q,
    order_placed_at,
    shipped_late_q,
    shipping_window,
)
from fulfillment.states import COMPLETED_STATUSES
from network_marketplace.db_routers import read_alias, reading_from_replica
from network_marketplace.models import AuditEvent
from orders.models import FulfilmentMethod, Order, OrderLine
from orders.services import CancellationReason
from stores.models import Store
from stores.opening_hours import STORE_TIME_ZONE

from .feeds_and_payouts import (
    FeedFreshness,
    PayoutsHeld,
    feed_freshness,
    payouts_held,
    store_counts,
)
from .periods import Period, within, within_either

S = Fulfilment.Status
HOME = FulfilmentMethod.HOME_DELIVERY
REROUTED = "fulfilment.rerouted"
LINES_CANCELLED = "order.lines_cancelled"
# A store refused the lines and no other location could serve them: the customer's items were
# missing from the stock its feed showed (a refusal's reason is the store's free text).
STOCK_OUT_REASONS = (CancellationReason.REJECTED, CancellationReason.PICKUP_REFUSED)
# A rate ranks a store once it has this many cases in the period: one refusal out of one order
# says little about a store.
RANKING_MIN_CASES = 3
RANKING_SIZE = 5
COLLECT_ENDS = (S.COLLECTED, S.UNCOLLECTED, S.PURCHASED_IN_STORE, S.NOT_PURCHASED)
KEPT_STATUSES = tuple(
    status for status in S.values if status not in {S.REJECTED, S.TIMED_OUT, S.CANCELLED}
)


def median(waits: list[timedelta]) -> timedelta:
    """The middle wait, or the mean of the two middle ones (statistics.median, for durations)."""
    ordered = sorted(waits)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


class Median(Aggregate):
    """PostgreSQL's `percentile_cont(0.5)`: the median of an interval, as a timedelta."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


# Sales ------------------------------------------------------------------------------------


@dataclass
class Sales:
    """Orders and their items' value (GMV, VAT included, delivery excluded), over the period
    and today."""

    key: str
    orders: int = 0
    gmv_cents: int = 0
    today_orders: int = 0
    today_gmv_cents: int = 0


def sales_by_channel(period: Period, today: Period) -> dict[str, Sales]:
    """Placed orders by channel (web shop, endless aisle, API). One query."""
    rows = (
        Order.objects.filter(within_either(period, today, "placed_at"))
        .values("channel")
        .annotate(
            orders=Count("id", filter=within(period, "placed_at")),
            gmv=Sum("subtotal_cents", filter=within(period, "placed_at")),
            today_orders=Count("id", filter=within(today, "placed_at")),
            today_gmv=Sum("subtotal_cents", filter=within(today, "placed_at")),
        )
        .order_by()
    )
    sales = {key: Sales(key) for key in Order.Channel.values}
    for row in rows:
        sales[row["channel"]] = Sales(
            row["channel"],
            row["orders"],
            row["gmv"] or 0,
            row["today_orders"],
            row["today_gmv"] or 0,
        )
    return sales


def sales_by_method(period: Period, today: Period) -> dict[str, Sales]:
    """Placed orders' lines by fulfilment method: the orders with such a line, and the lines'
    value. An order with two methods counts once in each. One query: the orders of the period
    (and of today, when the period does not hold it) read from the `placed_at` index, and their
    lines from the lines' order index."""
    placed, placed_today = within(period, "order__placed_at"), within(today, "order__placed_at")
    rows = (
        OrderLine.objects.filter(within_either(period, today, "order__placed_at"))
        .values("method")
        .annotate(
            orders=Count("order_id", distinct=True, filter=placed),
            gmv=Sum("total_cents", filter=placed),
            today_orders=Count("order_id", distinct=True, filter=placed_today),
            today_gmv=Sum("total_cents", filter=placed_today),
        )
        .order_by()
    )
    sales = {key: Sales(key) for key in FulfilmentMethod.values}
    for row in rows:
        sales[row["method"]] = Sales(
            row["method"],
            row["orders"],
            row["gmv"] or 0,
            row["today_orders"],
            row["today_gmv"] or 0,
        )
    return sales


def home_deliveries_by_location(period: Period) -> dict[str, int]:
    """Home-delivery fulfilments of the orders placed in the period, not lost or cancelled, by
    the kind of location serving them: ship-from-store (franchises and branches) against the
    warehouse. One query."""
    rows = (
        Fulfilment.objects.filter(
            within(period, "order__placed_at"), method=HOME, status__in=KEPT_STATUSES
        )
        .values("store__kind")
        .annotate(count=Count("*"))
        .order_by()
    )
    counts = {"store": 0, "warehouse": 0}
    for row in rows:
        kind = "warehouse" if row["store__kind"] == Store.Kind.WAREHOUSE else "store"
        counts[kind] += row["count"]
    return counts


def daily_sales(period: Period) -> list[tuple[date, int, int]]:
    """(local day, orders, GMV) for every day of the period, days without orders included.
    One query."""
    rows = (
        Order.objects.filter(within(period, "placed_at"))
        .annotate(day=TruncDate("placed_at", tzinfo=STORE_TIME_ZONE))
        .values("day")
        .annotate(orders=Count("id"), gmv=Sum("subtotal_cents"))
        .order_by()
    )
    by_day = {row["day"]: (row["orders"], row["gmv"] or 0) for row in rows}
    return [(day, *by_day.get(day, (0, 0))) for day in period.days]


@dataclass
class Attribution:
    """Web orders credited to each store's catchment (Order.attributed_store)."""

    web_orders: int = 0
    web_gmv_cents: int = 0
    unattributed_orders: int = 0
    by_store: dict[int, tuple[int, int]] = field(default_factory=dict)  # id -> (orders, GMV)


def attributed_web_sales(period: Period) -> Attribution:
    """One query: web orders placed in the period grouped by attributed store."""
    rows = (
        Order.objects.filter(within(period, "placed_at"), channel=Order.Channel.WEB)
        .values("attributed_store_id")
        .annotate(orders=Count("id"), gmv=Sum("subtotal_cents"))
        .order_by()
    )
    attribution = Attribution()
    for row in rows:
        attribution.web_orders += row["orders"]
        attribution.web_gmv_cents += row["gmv"] or 0
        if row["attributed_store_id"] is None:
            attribution.unattributed_orders += row["orders"]
        else:
            attribution.by_store[row["attributed_store_id"]] = (row["orders"], row["gmv"] or 0)
    return attribution


# Fulfilment quality -------------------------------------------------------------------------


@dataclass
class Quality:
    """What a location (or the network) did with its fulfilments in the period. Acceptances
    count by when they were accepted, every other end by when it happened (`closed_at`)."""

    accepted: int = 0
    rejected: int = 0
    timed_out: int = 0
    median_accept: timedelta | None = None
    shipped: int = 0
    shipped_late: int = 0
    completed: int = 0
    collect_ended: int = 0
    uncollected: int = 0

    @property
    def decided(self) -> int:
        return self.accepted + self.rejected + self.timed_out

    @property
    def acceptance_rate(self) -> float | None:
        return self.accepted / self.decided if self.decided else None


def fulfilment_quality(period: Period, *, window: timedelta) -> tuple[Quality, dict[int, Quality]]:
    """The network's figures and each location's. Two queries, each a range of one index read
    alone on PostgreSQL: what was accepted in the period, by location with its median acceptance
    time (and the network's, as a subquery of the same query); then what ended in it, by
    location. Elsewhere the medians are computed here from the acceptance times."""
    accepted = Fulfilment.objects.filter(within(period, "accepted_at")).order_by()
    waited = ExpressionWrapper(F("accepted_at") - F("created_at"), output_field=DurationField())
    by_store: dict[int, Quality] = defaultdict(Quality)
    network = Quality()
    if connection.vendor == "postgresql":
        network_median = Subquery(
            accepted.annotate(network=Value(1))
            .values("network")
            .annotate(median=Median(waited))
            .values("median")
        )
        rows = accepted.values("store_id").annotate(
            accepted=Count("*"), median=Median(waited), network_median=network_median
        )
        for accepted_row in rows:
            quality = by_store[accepted_row["store_id"]]
            quality.accepted = accepted_row["accepted"]
            quality.median_accept = accepted_row["median"]
            network.accepted += accepted_row["accepted"]
            network.median_accept = accepted_row["network_median"]
    else:
        durations: dict[int, list[timedelta]] = defaultdict(list)
        for store_id, wait in accepted.annotate(wait=waited).values_list("store_id", "wait"):
            durations[store_id].append(wait)
        for store_id, waits in durations.items():
            by_store[store_id].accepted = len(waits)
            by_store[store_id].median_accept = median(waits)
            network.accepted += len(waits)
        every = [wait for waits in durations.values() for wait in waits]
        network.median_accept = median(every) if every else None
    # Counted on `closed_at` (never null in the range) rather than the id, which the index lacks.
    ended = {
        "rejected": Count("closed_at", filter=Q(status=S.REJECTED)),
        "timed_out": Count("closed_at", filter=Q(status=S.TIMED_OUT)),
        "shipped": Count("closed_at", filter=Q(method=HOME, status__in=[S.SHIPPED, S.DELIVERED])),
        "shipped_late": Count(
            "closed_at", filter=shipped_late_q(window, placed_at=order_placed_at())
        ),
        "completed": Count("closed_at", filter=Q(status__in=COMPLETED_STATUSES)),
        "collect_ended": Count("closed_at", filter=Q(status__in=COLLECT_ENDS)),
        "uncollected": Count("closed_at", filter=Q(status=S.UNCOLLECTED)),
    }
    ended_rows = (
        Fulfilment.objects.filter(within(period, "closed_at"))
        .values("store_id")
        .annotate(**ended)
        .order_by()
    )
    for ended_row in ended_rows:
        row = cast(dict[str, Any], ended_row)
        quality = by_store[row["store_id"]]
        for name in ended:
            setattr(quality, name, row[name])
            setattr(network, name, getattr(network, name) + row[name])
    return network, dict(by_store)


@dataclass
class OpenWork:
    """The network's open fulfilments now: what stores have to do, and what is already late."""

    awaiting: int = 0
    awaiting_overdue: int = 0
    to_ship_late: int = 0
    ready: int = 0
    ready_overdue: int = 0


def open_work(*, now: datetime, window: timedelta) -> OpenWork:
    """One query over the open fulfilments."""
    row = Fulfilment.objects.filter(
        status__in=[S.AWAITING_ACCEPTANCE, S.ACCEPTED, S.PICKED, S.READY_FOR_PICKUP]
    ).aggregate(
        awaiting=Count("id", filter=Q(status=S.AWAITING_ACCEPTANCE)),
        awaiting_overdue=Count(
            "id", filter=Q(status=S.AWAITING_ACCEPTANCE, accept_deadline__lt=now)
        ),
        to_ship_late=Count("id", filter=late_to_ship_q(window, now=now)),
        ready=Count("id", filter=Q(status=S.READY_FOR_PICKUP)),
        ready_overdue=Count("id", filter=Q(status=S.READY_FOR_PICKUP, collect_before__lt=now)),
    )
    return OpenWork(**row)


# The audit trail: re-routings and cancellations ---------------------------------------------


@dataclass
class Rerouting:
    reroutings: int = 0  # lost fulfilments (refused or timed out) sent back to routing
    stock_out_cancellations: int = 0  # of them, lines nobody could serve after a refusal
    stock_out_orders: int = 0
    by_store: dict[int, int] = field(default_factory=dict)  # re-routings away from a store


def reroutings(period: Period) -> Rerouting:
    """Two queries on the audit trail: the re-routings by the store that lost the fulfilment,
    and the cancellations for stock-outs."""
    result = Rerouting()
    rows = (
        AuditEvent.objects.filter(within(period, "created_at"), action=REROUTED)
        .values("store_id")
        .annotate(count=Count("id"))
        .order_by()
    )
    for row in rows:
        result.reroutings += row["count"]
        if row["store_id"] is not None:
            result.by_store[row["store_id"]] = row["count"]
    cancelled = AuditEvent.objects.filter(
        within(period, "created_at"), action=LINES_CANCELLED, data__why__in=STOCK_OUT_REASONS
    ).aggregate(events=Count("id"), orders=Count("target_id", distinct=True))
    result.stock_out_cancellations = cancelled["events"]
    result.stock_out_orders = cancelled["orders"]
    return result


# Returns --------------------------------------------------------------------------------------


@dataclass
class Returns:
    total: int = 0
    by_reason: dict[str, int] = field(default_factory=dict)
    by_seller: dict[int, int] = field(default_factory=dict)  # store id -> returns of its sales


def returns(period: Period) -> Returns:
    """Returns started in the period (not cancelled), by reason and by the store that sold the
    goods. Two queries."""
    started = Return.objects.filter(within(period, "created_at")).exclude(
        status=Return.Status.CANCELLED
    )
    result = Returns(by_reason=dict.fromkeys(Return.Reason.values, 0))
    for row in started.values("reason").annotate(count=Count("id")).order_by():
        result.by_reason[row["reason"]] = row["count"]
        result.total += row["count"]
    sellers = (
        ReturnLine.objects.filter(return_request__in=started)
        .values("seller_store_id")
        .annotate(count=Count("return_request_id", distinct=True))
        .order_by()
    )
    result.by_seller = {row["seller_store_id"]: row["count"] for row in sellers}
    return result


# Rankings -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ranked:
    """A store's figure in a ranking: `value` sorts it, `count` of `cases` explains it."""

    store_id: int
    value: float
    count: int = 0
    cases: int = 0


def rank(rows: list[Ranked], *, higher_is_worse: bool) -> tuple[list[Ranked], list[Ranked]]:
    """The worst and the best RANKING_SIZE rows (store id breaking ties), best first in its
    list; with fewer than twice that many, the worse half and the better half."""
    ordered = sorted(
        rows, key=lambda row: (-row.value if higher_is_worse else row.value, row.store_id)
    )
    worst = ordered[: min(RANKING_SIZE, (len(ordered) + 1) // 2)]
    best = ordered[len(worst) :][::-1][:RANKING_SIZE]
    return worst, best


def rate_rows(counts: dict[int, tuple[int, int]]) -> list[Ranked]:
    """(count, cases) per store into rates, for the stores with enough cases."""
    return [
        Ranked(store_id, count / cases, count, cases)
        for store_id, (count, cases) in counts.items()
        if cases >= RANKING_MIN_CASES
    ]


# The whole tower ----------------------------------------------------------------------------


@dataclass
class ControlTower:
    period: Period
    today: Period
    now: datetime
    by_channel: dict[str, Sales]
    by_method: dict[str, Sales]
    home_by_location: dict[str, int]
    daily: list[tuple[date, int, int]]
    attribution: Attribution
    quality: Quality
    quality_by_store: dict[int, Quality]
    open_work: OpenWork
    rerouting: Rerouting
    returns: Returns
    feeds: FeedFreshness
    payouts: PayoutsHeld
    shipping_window: timedelta
    stores: dict[int, dict] = field(default_factory=dict)  # id -> {"name", "slug", "kind"}

    @property
    def totals(self) -> Sales:
        total = Sales("total")
        for sales in self.by_channel.values():
            total.orders += sales.orders
            total.gmv_cents += sales.gmv_cents
            total.today_orders += sales.today_orders
            total.today_gmv_cents += sales.today_gmv_cents
        return total

    def rankings(self) -> dict[str, tuple[list[Ranked], list[Ranked]]]:
        """The worst and best stores on each figure that a store answers for."""
        quality = {
            store_id: q
            for store_id, q in self.quality_by_store.items()
            if self.stores.get(store_id, {}).get("kind") != Store.Kind.WAREHOUSE
        }
        acceptance = rate_rows({sid: (q.accepted, q.decided) for sid, q in quality.items()})
        speed = [
            Ranked(sid, q.median_accept.total_seconds(), q.accepted, q.accepted)
            for sid, q in quality.items()
            if q.median_accept is not None and q.accepted >= RANKING_MIN_CASES
        ]
        attributed = [
            Ranked(sid, gmv, orders, orders)
            for sid, (orders, gmv) in self.attribution.by_store.items()
        ]
        attributed += [
            Ranked(sid, 0)
            for sid, store in self.stores.items()
            if sid not in self.attribution.by_store
            and store["kind"] != Store.Kind.WAREHOUSE
            and store["status"] == Store.Status.ACTIVE
        ]
        return {
            "acceptance": rank(acceptance, higher_is_worse=False),
            "speed": rank(speed, higher_is_worse=True),
            "timeouts": rank(
                rate_rows({sid: (q.timed_out, q.decided) for sid, q in quality.items()}),
                higher_is_worse=True,
            ),
            "reroutings": rank(
                rate_rows(
                    {
                        sid: (self.rerouting.by_store.get(sid, 0), q.decided)
                        for sid, q in quality.items()
                    }
                ),
                higher_is_worse=True,
            ),
            "stock_outs": rank(
                rate_rows({sid: (q.rejected, q.decided) for sid, q in quality.items()}),
                higher_is_worse=True,
            ),
            "late": rank(
                rate_rows({sid: (q.shipped_late, q.shipped) for sid, q in quality.items()}),
                higher_is_worse=True,
            ),
            "uncollected": rank(
                rate_rows({sid: (q.uncollected, q.collect_ended) for sid, q in quality.items()}),
                higher_is_worse=True,
            ),
            "returns": rank(
                rate_rows(
                    {
                        sid: (self.returns.by_seller.get(sid, 0), q.completed)
                        for sid, q in quality.items()
                    }
                ),
                higher_is_worse=True,
            ),
            "attributed": rank(attributed, higher_is_worse=False),
        }


def plan_without_jit(using: str = DEFAULT_DB_ALIAS) -> None:
    """Within the current transaction, PostgreSQL plans the tower's queries without JIT
    compilation. A grouped count over a quarter's fulfilments is estimated costly enough to be
    compiled and optimised, which took longer (0.1 to 0.2 s a query on the 1,000-store bench)
    than it saved; each of these queries reads one index range and is done in well under that."""
    database = connections[using]
    if database.vendor == "postgresql":
        with database.cursor() as cursor:
            cursor.execute("SELECT set_config('jit', 'off', true)")


def control_tower(*, period: Period, today: Period, now: datetime) -> ControlTower:
    """Every figure of the control tower: 20 queries whatever the network's size, in one
    transaction planned without JIT (`plan_without_jit`), on the read replica when one is
    configured and safe to read (docs/database.md), else on the primary."""
    with reading_from_replica("control tower"):
        alias = read_alias()  # the replica when it is safe (docs/database.md)
        with transaction.atomic(using=alias):
            plan_without_jit(alias)
            return _control_tower(period=period, today=today, now=now)


def _control_tower(*, period: Period, today: Period, now: datetime) -> ControlTower:
    window = shipping_window()
    network, by_store = fulfilment_quality(period, window=window)
    counts = store_counts()
    return ControlTower(
        period=period,
        today=today,
        now=now,
        by_channel=sales_by_channel(period, today),
        by_method=sales_by_method(period, today),
        home_by_location=home_deliveries_by_location(period),
        daily=daily_sales(period),
        attribution=attributed_web_sales(period),
        quality=network,
        quality_by_store=by_store,
        open_work=open_work(now=now, window=window),
        rerouting=reroutings(period),
        returns=returns(period),
        feeds=feed_freshness(now=now, counts=counts),
        payouts=payouts_held(period, counts=counts),
        shipping_window=window,
        stores={
            row["id"]: dict(row)
            for row in Store.objects.order_by().values("id", "name", "slug", "kind", "status")
        },
    )
