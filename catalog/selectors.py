"""Reads on the catalogue: published products, variants, and HQ's price bounds."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

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


@dataclass(frozen=True)
class VariantRef:
    """What a stock or price feed needs to know of a variant, without loading the model."""

    id: int
    rrp_cents: int
    bounds: PriceBounds


def percent_of(cents: int, percent: Decimal) -> int:
    """`percent` % of `cents`, rounded half up to the cent: the one rounding rule for bounds."""
    return int((Decimal(cents) * percent / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _category_percent_bounds(categories: dict[int, Category], category_id: int | None):
    """The nearest (min, max) percent bounds up the tree, each inherited independently."""
    low = high = None
    seen = set()
    while category_id is not None and category_id not in seen and (low is None or high is None):
        seen.add(category_id)
        category = categories.get(category_id)
        if category is None:
            break
        low = low if low is not None else category.min_price_percent
        high = high if high is not None else category.max_price_percent
        category_id = category.parent_id
    return low, high


class _BoundsResolver:
    """Resolves HQ's bounds: the variant's own bounds win; else the nearest category up the
    tree that sets a percent bound (min and max inherited independently), applied to the RRP."""

    def __init__(self):
        self.categories = {category.pk: category for category in Category.objects.all()}
        self.percent_cache: dict[int | None, tuple[Decimal | None, Decimal | None]] = {}

    def bounds(self, *, rrp_cents, min_cents, max_cents, category_id) -> PriceBounds:
        if min_cents is not None or max_cents is not None:
            return PriceBounds(min_cents, max_cents)
        if category_id not in self.percent_cache:
            self.percent_cache[category_id] = _category_percent_bounds(self.categories, category_id)
        low, high = self.percent_cache[category_id]
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
    """Active variants by SKU with their price bounds, in a few queries however many SKUs."""
    resolver = _BoundsResolver()
    skus = list(dict.fromkeys(skus))
    refs: dict[str, VariantRef] = {}
    for start in range(0, len(skus), chunk_size):
        rows = Variant.objects.filter(sku__in=skus[start : start + chunk_size], is_active=True)
        for pk, sku, rrp, low, high, category_id in rows.values_list(
            "pk", "sku", "rrp_cents", "min_price_cents", "max_price_cents", "product__category_id"
        ):
            bounds = resolver.bounds(
                rrp_cents=rrp, min_cents=low, max_cents=high, category_id=category_id
            )
            refs[sku] = VariantRef(id=pk, rrp_cents=rrp, bounds=bounds)
    return refs


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


@dataclass(frozen=True)
class CategoryTree:
    """The whole category tree, loaded with one query, for pages that show many categories."""

    by_id: dict[int, Category]

    def ancestors(self, category_id: int | None) -> list[Category]:
        """The category and its ancestors, root first."""
        chain, seen = [], set()
        while category_id is not None and category_id not in seen and category_id in self.by_id:
            seen.add(category_id)
            chain.append(self.by_id[category_id])
            category_id = self.by_id[category_id].parent_id
        return chain[::-1]

    def label(self, category_id: int | None) -> str:
        return " > ".join(category.name for category in self.ancestors(category_id))

    def percent_bounds(self, category_id: int | None) -> tuple[Decimal | None, Decimal | None]:
        """The (min, max) percent bounds that apply to the category's products."""
        return _category_percent_bounds(self.by_id, category_id)

    def in_order(self) -> list[tuple[Category, int]]:
        """Every category with its depth, parents before their children, siblings by
        (position, name)."""
        children: dict[int | None, list[Category]] = {}
        for category in self.by_id.values():
            parent_id = category.parent_id if category.parent_id in self.by_id else None
            children.setdefault(parent_id, []).append(category)
        for siblings in children.values():
            siblings.sort(key=lambda category: (category.position, category.name.casefold()))
        ordered, stack, seen = (
            [],
            [(category, 0) for category in children.get(None, [])][::-1],
            set(),
        )
        while stack:
            category, depth = stack.pop()
            if category.pk in seen:
                continue
            seen.add(category.pk)
            ordered.append((category, depth))
            stack.extend((child, depth + 1) for child in children.get(category.pk, [])[::-1])
        return ordered


def category_tree() -> CategoryTree:
    return CategoryTree({category.pk: category for category in Category.objects.all()})


def variants_by_sku(skus) -> dict[str, Variant]:
    return {
        variant.sku: variant
        for variant in Variant.objects.filter(sku__in=list(skus)).select_related("product")
    }
