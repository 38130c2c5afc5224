"""Reads on the catalogue: published products, variants, and HQ's price bounds."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from .models import Category, Product, Variant


@dataclass(frozen=True)
class PriceBounds:
    """Lowest and highest price (cents, VAT included) a store may set; None means unbounded."""

    min_cents: int | None
    max_cents: int | None

    def allows(self, price_cents: int) -> bool:
        return (self.min_cents is None or price_cents >= self.min_cents) and (
            self.max_cents is None or price_cents <= self.max_cents
        )


class VariantRef(NamedTuple):
    """What a stock or price feed needs to know of a variant, without loading the model.

    A tuple, cheap to build by the hundred thousand; `bounds` is resolved when asked for (a
    feed asks only for the rows that carry a price)."""

    id: int
    rrp_cents: int
    min_price_cents: int | None = None
    max_price_cents: int | None = None
    category_id: int | None = None
    resolver: _BoundsResolver | None = None

    @property
    def bounds(self) -> PriceBounds:
        return (self.resolver or _BoundsResolver()).bounds(
            rrp_cents=self.rrp_cents,
            min_cents=self.min_price_cents,
            max_cents=self.max_price_cents,
            category_id=self.category_id,
        )


def percent_of(cents: int, percent: Decimal) -> int:
    """`percent` % of `cents`, rounded half up to the cent: the one rounding rule for bounds."""
    return int((Decimal(cents) * percent / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


class _BoundsResolver:
    """Resolves HQ's bounds: the variant's own bounds win; else the nearest category up the
    tree that sets a percent bound (min and max inherited independently), applied to the RRP."""

    def __init__(self):
        self.categories = {category.pk: category for category in Category.objects.all()}
        self.percent_cache: dict[int | None, tuple[Decimal | None, Decimal | None]] = {}

    def _percents(self, category_id):
        if category_id not in self.percent_cache:
            low = high = None
            current, seen = category_id, set()
            while current is not None and current not in seen and (low is None or high is None):
                seen.add(current)
                category = self.categories[current]
                low = low if low is not None else category.min_price_percent
                high = high if high is not None else category.max_price_percent
                current = category.parent_id
            self.percent_cache[category_id] = (low, high)
        return self.percent_cache[category_id]

    def bounds(self, *, rrp_cents, min_cents, max_cents, category_id) -> PriceBounds:
        if min_cents is not None or max_cents is not None:
            return PriceBounds(min_cents, max_cents)
        low, high = self._percents(category_id)
        return PriceBounds(
            percent_of(rrp_cents, low) if low is not None else None,
            percent_of(rrp_cents, high) if high is not None else None,
        )


def price_bounds_for_variants(variants) -> dict[int, PriceBounds]:
    """Bounds for many variants (with `product` loaded) with one query for the category tree."""
    resolver = _BoundsResolver()
    return {
        variant.pk: resolver.bounds(
            rrp_cents=variant.rrp_cents,
            min_cents=variant.min_price_cents,
            max_cents=variant.max_price_cents,
            category_id=variant.product.category_id,
        )
        for variant in variants
    }


def price_bounds_for(variant: Variant) -> PriceBounds:
    return price_bounds_for_variants([variant])[variant.pk]


def variant_refs_by_sku(skus, *, chunk_size: int = 5000) -> dict[str, VariantRef]:
    """Active variants by SKU, in a few queries however many SKUs; bounds resolved lazily."""
    resolver = _BoundsResolver()
    skus = list(dict.fromkeys(skus))
    refs: dict[str, VariantRef] = {}
    for rows in _active_variants_with_skus(skus, chunk_size):
        for pk, sku, rrp, low, high, category_id in rows.order_by().values_list(
            "pk", "sku", "rrp_cents", "min_price_cents", "max_price_cents", "product__category_id"
        ):
            refs[sku] = VariantRef(pk, rrp, low, high, category_id, resolver)
    return refs


def _active_variants_with_skus(skus: list[str], chunk_size: int):
    """Querysets that together cover `skus`. On PostgreSQL, one query with the SKUs as a single
    array parameter: one scan of the catalogue for a 100,000-row feed, instead of one scan and
    thousands of placeholders per chunk."""
    if not skus:
        return
    active = Variant.objects.filter(is_active=True)
    if connection.vendor == "postgresql":
        yield active.filter(
            RawSQL('"catalog_variant"."sku" = ANY(%s::varchar[])', (skus,), BooleanField())
        )
        return
    for start in range(0, len(skus), chunk_size):
        yield active.filter(sku__in=skus[start : start + chunk_size])


def published_products():
    return Product.objects.published().select_related("category")


def category_descendant_ids(category: Category) -> list[int]:
    """The category and all categories below it (the tree is small: one query)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Category.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found, stack = [], [category.pk]
    while stack:
        pk = stack.pop()
        found.append(pk)
        stack.extend(children.get(pk, []))
    return found


def variants_by_sku(skus) -> dict[str, Variant]:
    return {
        variant.sku: variant
        for variant in Variant.objects.filter(sku__in=list(skus)).select_related("product")
    }
