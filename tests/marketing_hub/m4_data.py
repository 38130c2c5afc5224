"""Marketing rows written straight into the tables for the read-side tests of the overview, the
dashboard and tenancy: what HQ configures (budgets, rules, campaigns, items) and orders at a
given state with given amounts. The write side (placing, approving) is tested with the services."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta

from django.utils import timezone

from marketing_hub.models import (
    Budget,
    Campaign,
    CoFundingRule,
    MarketingItem,
    MarketingOrder,
    MarketingOrderLine,
    PriceTier,
    Supplier,
)

_numbers = itertools.count(1)


def budget(store, *, amount=100_000, spent=0, start=None, end=None) -> Budget:
    today = timezone.localdate()
    return Budget.objects.create(
        store=store,
        period=Budget.Period.YEAR,
        starts_on=start or today.replace(month=1, day=1),
        ends_on=end or today.replace(month=12, day=31),
        amount_cents=amount,
        spent_cents=spent,
    )


def campaign(name="Printemps au jardin", *, start=None, end=None, slug=None) -> Campaign:
    today = timezone.localdate()
    return Campaign.objects.create(
        name=name,
        slug=slug or f"campaign-{next(_numbers)}",
        starts_on=start or today - timedelta(days=10),
        ends_on=end or today + timedelta(days=20),
    )


def item(
    *, name="Flyer A5", kind=MarketingItem.Kind.PRINT, campaign=None, supplier=None, price=3_900
) -> MarketingItem:
    made = MarketingItem.objects.create(
        kind=kind,
        print_format=MarketingItem.PrintFormat.FLYER if kind == MarketingItem.Kind.PRINT else "",
        reference=f"MK-{next(_numbers):04d}",
        name=name,
        campaign=campaign,
        supplier=supplier,
    )
    PriceTier.objects.create(item=made, quantity=250, price_cents=price)
    return made


def supplier(name="Imprimerie du Rhône") -> Supplier:
    return Supplier.objects.create(name=name, email=f"orders{next(_numbers)}@example.com")


def rule(*, name="Flyers co-financés", percent_bp=5_000, cap=20_000, **kwargs) -> CoFundingRule:
    today = timezone.localdate()
    kwargs.setdefault("starts_on", today - timedelta(days=30))
    kwargs.setdefault("ends_on", today + timedelta(days=30))
    return CoFundingRule.objects.create(
        name=name, percent_bp=percent_bp, cap_per_store_cents=cap, **kwargs
    )


def order(
    store,
    *,
    status=MarketingOrder.Status.PLACED,
    lines=(),
    placed_at: datetime | None = None,
    reviewed_at: datetime | None = None,
    review_deadline: datetime | None = None,
) -> MarketingOrder:
    """An order at `status` with `lines` as (item, store_share_cents, hq_share_cents)."""
    placed_at = placed_at or timezone.now()
    made = MarketingOrder.objects.create(
        store=store,
        number=f"MK-TEST-{next(_numbers):05d}",
        status=status,
        placed_at=placed_at,
        reviewed_at=reviewed_at,
        review_deadline=review_deadline,
        review_reasons=["free_text"] if reviewed_at or review_deadline else [],
    )
    line_status = {
        MarketingOrder.Status.PLACED: "pending",
        MarketingOrder.Status.IN_REVIEW: "pending",
    }.get(status, status)
    total_store = total_hq = 0
    for marketing_item, store_share, hq_share in lines:
        MarketingOrderLine.objects.create(
            order=made,
            item=marketing_item,
            item_reference=marketing_item.reference,
            item_name=marketing_item.name,
            quantity=250,
            price_cents=store_share + hq_share,
            vat_rate_bp=2000,
            store_share_cents=store_share,
            hq_share_cents=hq_share,
            status=line_status,
            supplier=marketing_item.supplier,
        )
        total_store += store_share
        total_hq += hq_share
    MarketingOrder.objects.filter(pk=made.pk).update(
        store_share_cents=total_store,
        hq_share_cents=total_hq,
        total_excl_vat_cents=total_store + total_hq,
    )
    made.refresh_from_db()
    return made


def day(value: date, hour: int = 10) -> datetime:
    return datetime(
        value.year, value.month, value.day, hour, tzinfo=timezone.get_current_timezone()
    )
