"""The storefront's home page: shelves of products, so the front door is never an empty page.

Offers of the stores near the visitor (when the storefront knows where they are), HQ's running
reductions (shown with their 30-day reference, Omnibus), the newest and the most sold products,
and the departments. Every shelf is one query plus its images; the reductions of all shelves are
one more; the most sold products come from the last 30 days of sales movements, cached.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db.models import Exists, F, OuterRef, QuerySet, Sum

from catalog.models import Category, Product, Variant
from catalog.selectors import (
    product_reductions,
    promotion_running,
    published_products,
    top_categories,
)

from ..models import StockMovement
from .locations import CustomerLocation
from .storefront import available_near, with_offer_summary

SHELF_SIZE = 8
POPULAR_DAYS = 30
POPULAR_CACHE_SECONDS = 600


@dataclass
class HomeShelves:
    near: list[Product] = field(default_factory=list)
    reduced: list[Product] = field(default_factory=list)
    new: list[Product] = field(default_factory=list)
    popular: list[Product] = field(default_factory=list)
    departments: list[Category] = field(default_factory=list)

    @property
    def has_products(self) -> bool:
        return bool(self.near or self.reduced or self.new or self.popular)


def _cards() -> QuerySet[Product]:
    return with_offer_summary(published_products()).prefetch_related("images")


def most_sold_product_ids(*, now: datetime, limit: int = SHELF_SIZE) -> list[int]:
    """The products with the most units sold in stores over the last 30 days, most first.
    Cached for ten minutes: it reads a month of sales movements, too much for every visit."""

    def compute() -> list[int]:
        rows = (
            StockMovement.objects.filter(
                reason=StockMovement.Reason.SALE,
                created_at__gte=now - timedelta(days=POPULAR_DAYS),
            )
            .order_by()
            .values("variant__product")
            .annotate(units=Sum(-F("delta")))
            .filter(units__gt=0)
            .order_by("-units", "variant__product")
            .values_list("variant__product", flat=True)[: limit * 2]
        )
        return list(rows)

    return cache.get_or_set("storefront:home:most-sold", compute, POPULAR_CACHE_SECONDS)


def home_shelves(
    *, near: CustomerLocation | None, now: datetime, size: int = SHELF_SIZE
) -> HomeShelves:
    """The home page's shelves. `near`: the visitor's remembered location, or None."""
    shelves = HomeShelves(departments=list(top_categories()))
    if near is not None:
        shelves.near = list(
            _cards().filter(available_near(near)).order_by("-store_count", "name", "pk")[:size]
        )
    running = Variant.objects.filter(product=OuterRef("pk"), is_active=True).filter(
        promotion_running(now)
    )
    shelves.reduced = list(_cards().filter(Exists(running)).order_by("name", "pk")[:size])
    shelves.new = list(_cards().order_by("-created_at", "-pk")[:size])
    popular_ids = most_sold_product_ids(now=now, limit=size)
    if popular_ids:
        rank = {pk: position for position, pk in enumerate(popular_ids)}
        found = _cards().filter(pk__in=popular_ids)
        shelves.popular = sorted(found, key=lambda product: rank[product.pk])[:size]
    _mark_reductions(shelves, now=now)
    # A reduction announced without a lower price than its 30-day reference is no reduction.
    shelves.reduced = [product for product in shelves.reduced if product.reduction]
    return shelves


def _mark_reductions(shelves: HomeShelves, *, now: datetime) -> None:
    products = [*shelves.near, *shelves.reduced, *shelves.new, *shelves.popular]
    reductions = product_reductions({product.pk for product in products}, now=now)
    for product in products:
        product.reduction = reductions.get(product.pk)
