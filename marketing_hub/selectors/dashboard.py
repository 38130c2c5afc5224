"""HQ's marketing dashboard: what the stores spent and HQ co-funded, per store, campaign and
month; how fast HQ reviews orders (median, 90th percentile, reviews overdue); and for each
campaign, the stores' own sales in their catchment before and during it, for the stores that
ordered its items against the others. Each function runs a fixed number of queries, whatever the
number of stores, orders or campaigns (the tests guard it); sums are in cents excl. VAT."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from orders.selectors import StoreSales, catchment_sales
from stores.models import Store

from ..models import Campaign, MarketingOrder, MarketingOrderEvent, MarketingOrderLine

ML = MarketingOrderLine.Status
MO = MarketingOrder.Status
# A line counts as spent once placed, until it is rejected or cancelled (budget given back).
SPENT_LINE_STATUSES = (ML.PENDING, ML.APPROVED, ML.IN_PRODUCTION, ML.SHIPPED, ML.RECEIVED)
OVERDUE_LIST = 20
# The campaigns compared at once (each costs four grouped queries on the orders).
MAX_CAMPAIGNS = 12


@dataclass(frozen=True)
class DashboardFilters:
    """The period (orders by their placing date, both ends included), optionally one campaign
    and one store."""

    start: date
    end: date
    campaign: Campaign | None = None
    store: Store | None = None


@dataclass(frozen=True)
class SpendRow:
    label: str
    key: str
    orders: int
    store_share_cents: int
    hq_share_cents: int
    month: date | None = None

    @property
    def total_cents(self) -> int:
        return self.store_share_cents + self.hq_share_cents


@dataclass(frozen=True)
class Spend:
    by_store: list[SpendRow]
    by_campaign: list[SpendRow]
    by_month: list[SpendRow]
    total: SpendRow


@dataclass(frozen=True)
class ApprovalTimes:
    """HQ's reviews closed in the period (approved or rejected), in hours from placing."""

    reviewed: int
    median_hours: float | None
    p90_hours: float | None
    late: int
    waiting: int
    overdue: list[MarketingOrder] = field(default_factory=list)
    overdue_count: int = 0


@dataclass(frozen=True)
class SalesGroup:
    """A group of stores' sales in a window before the campaign and the same length during it,
    summed and per store (cents incl. VAT)."""

    stores: int
    before: StoreSales
    during: StoreSales

    @property
    def web_per_store_before(self) -> int:
        return self.before.web_cents // self.stores if self.stores else 0

    @property
    def web_per_store_during(self) -> int:
        return self.during.web_cents // self.stores if self.stores else 0

    @property
    def web_change_percent(self) -> float | None:
        return _change(self.before.web_cents, self.during.web_cents)

    @property
    def collect_change_percent(self) -> float | None:
        return _change(self.before.collect_cents, self.during.collect_cents)


@dataclass(frozen=True)
class CampaignImpact:
    campaign: Campaign
    before_start: date
    before_end: date
    during_start: date
    during_end: date
    ordering: SalesGroup
    others: SalesGroup


def _change(before: int, during: int) -> float | None:
    if before == 0:
        return None
    return round((during - before) * 100 / before, 1)


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


def spent_lines(filters: DashboardFilters) -> QuerySet[MarketingOrderLine]:
    """The lines that count as spent, of orders placed in the period (and campaign, store)."""
    since, until = _bounds(filters.start, filters.end)
    lines = MarketingOrderLine.objects.filter(
        status__in=SPENT_LINE_STATUSES, order__placed_at__gte=since, order__placed_at__lt=until
    )
    if filters.campaign is not None:
        lines = lines.filter(item__campaign=filters.campaign)
    if filters.store is not None:
        lines = lines.filter(order__store=filters.store)
    return lines


def _rows(queryset: QuerySet[MarketingOrderLine], key: str, label: str) -> list[SpendRow]:
    rows = queryset.values(key, label).annotate(
        orders=Count("order_id", distinct=True),
        store_share=Sum("store_share_cents"),
        hq_share=Sum("hq_share_cents"),
    )
    return [
        SpendRow(
            label=str(row[label] if row[label] is not None else ""),
            key=str(row[key] if row[key] is not None else ""),
            orders=row["orders"],
            store_share_cents=row["store_share"] or 0,
            hq_share_cents=row["hq_share"] or 0,
        )
        for row in rows
    ]


def marketing_spend(filters: DashboardFilters) -> Spend:
    """Spend (the stores' share) and co-funding (HQ's share) per store, per campaign (lines of
    items without a campaign under an empty label) and per month; four queries."""
    lines = spent_lines(filters)
    by_store = sorted(
        _rows(lines, "order__store__slug", "order__store__name"),
        key=lambda row: (-row.total_cents, row.label),
    )
    by_campaign = sorted(
        _rows(lines, "item__campaign__slug", "item__campaign__name"),
        key=lambda row: (row.label == "", -row.total_cents, row.label),
    )
    months = (
        lines.annotate(month=TruncMonth("order__placed_at"))
        .values("month")
        .annotate(
            orders=Count("order_id", distinct=True),
            store_share=Sum("store_share_cents"),
            hq_share=Sum("hq_share_cents"),
        )
        .order_by("month")
    )
    by_month = [
        SpendRow(
            label=row["month"].strftime("%Y-%m"),
            key=row["month"].strftime("%Y-%m"),
            orders=row["orders"],
            store_share_cents=row["store_share"] or 0,
            hq_share_cents=row["hq_share"] or 0,
            month=row["month"].date() if isinstance(row["month"], datetime) else row["month"],
        )
        for row in months
    ]
    totals = lines.aggregate(
        orders=Count("order_id", distinct=True),
        store_share=Sum("store_share_cents"),
        hq_share=Sum("hq_share_cents"),
    )
    total = SpendRow(
        label="",
        key="total",
        orders=totals["orders"] or 0,
        store_share_cents=totals["store_share"] or 0,
        hq_share_cents=totals["hq_share"] or 0,
    )
    return Spend(by_store=by_store, by_campaign=by_campaign, by_month=by_month, total=total)


def percentile(values: list[float], fraction: float) -> float | None:
    """The `fraction` percentile of `values` by linear interpolation (PostgreSQL's
    percentile_cont): 0.5 is the median. None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low, high = math.floor(position), math.ceil(position)
    if low == high:
        return ordered[low]
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def approval_times(filters: DashboardFilters, *, now: datetime | None = None) -> ApprovalTimes:
    """HQ's reviews closed in the period: hours from placing to approval or rejection (median
    and 90th percentile), how many closed after their deadline; the orders waiting for review
    now and those past their deadline (oldest first). Three queries."""
    now = now or timezone.now()
    since, until = _bounds(filters.start, filters.end)
    closed = MarketingOrderEvent.objects.filter(
        from_status=MO.IN_REVIEW,
        to_status__in=(MO.APPROVED, MO.REJECTED),
        created_at__gte=since,
        created_at__lt=until,
    )
    waiting = MarketingOrder.objects.filter(status=MO.IN_REVIEW)
    if filters.store is not None:
        closed = closed.filter(order__store=filters.store)
        waiting = waiting.filter(store=filters.store)
    if filters.campaign is not None:
        closed = closed.filter(order__lines__item__campaign=filters.campaign).distinct()
        waiting = waiting.filter(lines__item__campaign=filters.campaign).distinct()
    hours = []
    late = 0
    for closed_at, placed_at, deadline in closed.values_list(
        "created_at", "order__placed_at", "order__review_deadline"
    ):
        if placed_at is None:
            continue
        hours.append((closed_at - placed_at).total_seconds() / 3600)
        if deadline is not None and closed_at > deadline:
            late += 1
    counts = waiting.aggregate(
        waiting=Count("pk", distinct=True),
        overdue=Count("pk", filter=Q(review_deadline__lt=now), distinct=True),
    )
    overdue = list(
        waiting.filter(review_deadline__lt=now)
        .select_related("store")
        .order_by("review_deadline", "id")[:OVERDUE_LIST]
    )
    median, p90 = percentile(hours, 0.5), percentile(hours, 0.9)
    return ApprovalTimes(
        reviewed=len(hours),
        median_hours=round(median, 1) if median is not None else None,
        p90_hours=round(p90, 1) if p90 is not None else None,
        late=late,
        waiting=counts["waiting"],
        overdue=overdue,
        overdue_count=counts["overdue"],
    )


def _sum(sales: dict[int, StoreSales], store_ids: set[int]) -> StoreSales:
    rows = [sales[store_id] for store_id in store_ids if store_id in sales]
    return StoreSales(
        web_orders=sum(row.web_orders for row in rows),
        web_cents=sum(row.web_cents for row in rows),
        collect_orders=sum(row.collect_orders for row in rows),
        collect_cents=sum(row.collect_cents for row in rows),
    )


def campaign_windows(campaign: Campaign, *, today: date) -> tuple[date, date, date, date] | None:
    """(before start, before end, during start, during end): during runs from the campaign's
    start to its end or today, whichever comes first; before is the same number of days just
    before it. None for a campaign not started yet."""
    if campaign.starts_on > today:
        return None
    during_end = min(campaign.ends_on, today)
    days = (during_end - campaign.starts_on).days + 1
    before_end = campaign.starts_on - timedelta(days=1)
    return before_end - timedelta(days=days - 1), before_end, campaign.starts_on, during_end


def campaign_impact(
    filters: DashboardFilters, *, today: date | None = None
) -> list[CampaignImpact]:
    """For each campaign running in the period (or the one chosen) and started by today: the web
    and click & collect sales in their catchment of the stores that ordered its items, against
    the other active stores, before and during the campaign. 3 queries, then 4 per campaign
    (at most MAX_CAMPAIGNS)."""
    today = today or timezone.localdate()
    campaigns = Campaign.objects.filter(starts_on__lte=min(filters.end, today)).filter(
        ends_on__gte=filters.start
    )
    if filters.campaign is not None:
        campaigns = campaigns.filter(pk=filters.campaign.pk)
    chosen = list(campaigns.order_by("-starts_on", "name")[:MAX_CAMPAIGNS])
    ordered_by: dict[int, set[int]] = defaultdict(set)
    for campaign_id, store_id in (
        MarketingOrderLine.objects.filter(status__in=SPENT_LINE_STATUSES, item__campaign__in=chosen)
        .values_list("item__campaign_id", "order__store_id")
        .distinct()
    ):
        ordered_by[campaign_id].add(store_id)
    all_stores = set(
        Store.objects.filter(status=Store.Status.ACTIVE)
        .exclude(kind=Store.Kind.WAREHOUSE)
        .values_list("pk", flat=True)
    )
    impacts = []
    for campaign in chosen:
        windows = campaign_windows(campaign, today=today)
        if windows is None:
            continue
        before_start, before_end, during_start, during_end = windows
        ordering = ordered_by.get(campaign.pk, set())
        others = all_stores - ordering
        before = catchment_sales(start=before_start, end=before_end)
        during = catchment_sales(start=during_start, end=during_end)
        impacts.append(
            CampaignImpact(
                campaign=campaign,
                before_start=before_start,
                before_end=before_end,
                during_start=during_start,
                during_end=during_end,
                ordering=SalesGroup(
                    stores=len(ordering),
                    before=_sum(before, ordering),
                    during=_sum(during, ordering),
                ),
                others=SalesGroup(
                    stores=len(others), before=_sum(before, others), during=_sum(during, others)
                ),
            )
        )
    return impacts
