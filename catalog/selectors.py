"""Reads on the catalogue: published products, variants, and HQ's price bounds."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.db import connection, connections, router
from django.db.models import (
    BooleanField,
    Case,
    DateTimeField,
    ExpressionWrapper,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone

from network_marketplace.db import model_from_row, select_columns
from network_marketplace.search import every_word, fold

from . import cache
from .models import Category, PriceHistory, Product, StorefrontPolicy, Variant

OMNIBUS_DAYS = 30


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


def _category_percent_bounds(
    categories: dict[int, Category], category_id: int | None
) -> tuple[Decimal | None, Decimal | None]:
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

    def __init__(self) -> None:
        self.categories = {category.pk: category for category in Category.objects.all()}
        self.percent_cache: dict[int | None, tuple[Decimal | None, Decimal | None]] = {}

    def bounds(
        self,
        *,
        rrp_cents: int,
        min_cents: int | None,
        max_cents: int | None,
        category_id: int | None,
    ) -> PriceBounds:
        if min_cents is not None or max_cents is not None:
            return PriceBounds(min_cents, max_cents)
        if category_id not in self.percent_cache:
            self.percent_cache[category_id] = _category_percent_bounds(self.categories, category_id)
        low, high = self.percent_cache[category_id]
        return PriceBounds(
            percent_of(rrp_cents, low) if low is not None else None,
            percent_of(rrp_cents, high) if high is not None else None,
        )


def category_percent_bounds() -> dict[int, tuple[Decimal | None, Decimal | None]]:
    """Each category's effective (min, max) percent-of-RRP bounds, inherited up the tree as
    `_BoundsResolver` does: one query; lets a set-based check apply HQ's bounds in SQL (see
    stores.services.feeds). A variant's own cents bounds, when set, win over these."""
    categories = {category.pk: category for category in Category.objects.all()}
    return {pk: _category_percent_bounds(categories, pk) for pk in categories}


def price_bounds_for_variants(variants: Iterable[Variant]) -> dict[int, PriceBounds]:
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


def variant_refs_by_sku(skus: Iterable[str], *, chunk_size: int = 5000) -> dict[str, VariantRef]:
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


def _active_variants_with_skus(skus: list[str], chunk_size: int) -> Iterator[QuerySet[Variant]]:
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


def published_products() -> QuerySet[Product]:
    return Product.objects.published().select_related("category")


def category_descendant_ids(category: Category) -> list[int]:
    """The category and all categories below it (the tree is small: one query)."""
    return category_tree().descendant_ids(category)


@functools.cache
def _variants_by_sku_sql() -> str:
    return (
        f"SELECT {select_columns(Variant, 'variant')}, {select_columns(Product, 'product')}"  # noqa: S608 - names from the models' meta
        " FROM catalog_variant AS variant"
        " JOIN catalog_product AS product ON product.id = variant.product_id"
        " WHERE variant.sku IN ({skus})"
    )


def variants_by_sku(skus: Iterable[str]) -> dict[str, Variant]:
    """The variants of these SKUs with their product, one query: written by hand, since every
    checkout and stock call over the API asks it and the ORM's query cost more to build than
    to run."""
    skus = list(skus)
    if not skus:
        return {}
    using = router.db_for_read(Variant)
    with connections[using].cursor() as cursor:
        cursor.execute(_variants_by_sku_sql().format(skus=", ".join(["%s"] * len(skus))), skus)
        rows = cursor.fetchall()
    width = len(Variant._meta.concrete_fields)
    found = {}
    for row in rows:
        variant = model_from_row(Variant, row[:width], using=using)
        variant.product = model_from_row(Product, row[width:], using=using)
        found[variant.sku] = variant
    return found


# Storefront reads ---------------------------------------------------------------------------

# Control characters become spaces: PostgreSQL refuses NUL in text, and none is meaningful.
_CONTROL_CHARACTERS = {code: " " for code in [*range(32), 127]}


def clean_search_text(text: str | None, *, max_length: int = 100) -> str:
    """What a customer typed, safe to search with: no control characters, single spaces."""
    return " ".join(str(text or "").translate(_CONTROL_CHARACTERS).split())[:max_length]


def top_categories() -> QuerySet[Category]:
    """The root categories, in HQ's order: the storefront's categories menu."""
    return Category.objects.filter(parent__isnull=True).order_by("position", "name")


class CategoryTree:
    """The whole category tree, loaded with one query (it is small: hundreds of nodes), for
    pages that need a category's descendants, its path from the root, its children, or the
    price bounds it inherits."""

    def __init__(self, categories: Iterable[Category]) -> None:
        self.by_pk = {category.pk: category for category in categories}
        self.by_slug = {category.slug: category for category in self.by_pk.values()}
        self.children_of: dict[int | None, list[Category]] = {}
        for category in self.by_pk.values():
            parent_id = category.parent_id if category.parent_id in self.by_pk else None
            self.children_of.setdefault(parent_id, []).append(category)
        for siblings in self.children_of.values():
            siblings.sort(key=lambda category: (category.position, category.name.casefold()))

    def get(self, slug: str) -> Category | None:
        return self.by_slug.get(slug)

    def roots(self) -> list[Category]:
        return self.children_of.get(None, [])

    def children(self, category: Category) -> list[Category]:
        return self.children_of.get(category.pk, [])

    def descendant_ids(self, category: Category) -> list[int]:
        """The category and every category below it."""
        found, stack, seen = [], [category.pk], set()
        while stack:
            pk = stack.pop()
            if pk in seen:
                continue
            seen.add(pk)
            found.append(pk)
            stack.extend(child.pk for child in self.children_of.get(pk, []))
        return found

    def path(self, category: Category) -> list[Category]:
        """From the root down to the category (breadcrumbs); a cycle in bad data stops it."""
        path, seen, current = [], set(), category.pk
        while current is not None and current in self.by_pk and current not in seen:
            seen.add(current)
            path.append(self.by_pk[current])
            current = self.by_pk[current].parent_id
        path.reverse()
        return path

    def label(self, category_id: int | None) -> str:
        category = self.by_pk.get(category_id)
        return " > ".join(c.name for c in self.path(category)) if category else ""

    def percent_bounds(self, category_id: int | None) -> tuple[Decimal | None, Decimal | None]:
        """The (min, max) percent bounds that apply to the category's products."""
        return _category_percent_bounds(self.by_pk, category_id)

    def in_order(self) -> list[tuple[Category, int]]:
        """Every category with its depth, parents before their children."""
        ordered, seen = [], set()
        stack = [(category, 0) for category in reversed(self.roots())]
        while stack:
            category, depth = stack.pop()
            if category.pk in seen:
                continue
            seen.add(category.pk)
            ordered.append((category, depth))
            stack.extend((child, depth + 1) for child in reversed(self.children(category)))
        return ordered


# The tree changes only with a catalogue edit, which retires it (catalog.cache).
CATEGORY_TREE_CACHE_SECONDS = 3600


def category_tree() -> CategoryTree:
    """The whole tree, from the cache until the next catalogue edit; each process keeps the
    built tree too (every storefront page reads it)."""
    key = cache.key_for("category-tree", depends_on=[cache.CATALOGUE])

    def shared() -> CategoryTree:
        categories = cache.cached(
            key, lambda: list(Category.objects.all()), max_age=CATEGORY_TREE_CACHE_SECONDS
        )
        return CategoryTree(categories)

    return cache.kept_in_process(key, shared, max_age=CATEGORY_TREE_CACHE_SECONDS)


def listing_max_age() -> int:
    """How long, in seconds, a cached listing may be shown: HQ's StorefrontPolicy, read again
    at most once a second per process (a page asks for it for each of its cached parts) and at
    once after the policy's save in this process."""
    return cache.read_each_second(
        "listing-max-age", lambda: StorefrontPolicy.current().listing_max_age_seconds
    )


def brands_of(category_ids: Iterable[int]) -> list[str]:
    """The brands of the published products in these categories, alphabetically; from the
    cache until the next catalogue edit."""
    category_ids = sorted(category_ids)

    def compute() -> list[str]:
        return list(
            Product.objects.published()
            .filter(category_id__in=category_ids)
            .exclude(brand="")
            .order_by("brand")
            .values_list("brand", flat=True)
            .distinct()
        )

    key = cache.key_for("brands", category_ids, depends_on=[cache.CATALOGUE])
    return cache.cached(key, compute, max_age=CATEGORY_TREE_CACHE_SECONDS)


def search_products(query: str) -> QuerySet[Product]:
    """Published products for the storefront's search, best first: an exact SKU or GTIN (with
    `matched_sku` set, so the result opens on that very model), then names that start with
    what was typed, names holding every word, then brands and SKU prefixes. Products that only
    mention the words in their description come only when nothing matches better: "perceuse"
    lists drills, not the wood screws whose description says "pointe auto-perceuse".

    Accents, case and hyphens are ignored (network_marketplace.search). The SKU and GTIN
    lookups use the upper(sku) prefix index and the GTIN's unique index (migration
    catalog 0004), so draft variants, however many, are never scanned."""
    query = clean_search_text(query)
    if not query:
        return Product.objects.none()
    active = Variant.objects.filter(is_active=True)
    exact_variants = active.filter(product=OuterRef("pk")).filter(
        Q(sku__iexact=query) | Q(gtin=query)
    )
    exact_code = Q(pk__in=active.filter(Q(sku__iexact=query) | Q(gtin=query)).values("product"))

    def code_prefix(word: str) -> Q:
        return Q(pk__in=active.filter(Q(sku__istartswith=word) | Q(gtin=word)).values("product"))

    named = every_word(query, "name", "brand", also=code_prefix)
    products = published_products().filter(named | exact_code)
    if not products.exists():
        products = published_products().filter(
            every_word(query, "name", "brand", "description", also=code_prefix)
        )
    return products.annotate(
        matched_sku=Subquery(exact_variants.values("sku")[:1]),
        relevance=Case(
            When(exact_code, then=Value(0)),
            When(name__unaccented__istartswith=fold(query), then=Value(1)),
            When(every_word(query, "name"), then=Value(2)),
            When(every_word(query, "name", "brand"), then=Value(3)),
            default=Value(4),
        ),
    ).order_by("relevance", "name", "pk")


def published_product_by_slug(slug: str) -> Product | None:
    """A published product with its category, images and active variants loaded."""
    return (
        published_products()
        .prefetch_related(
            "images",
            Prefetch(
                "variants",
                queryset=Variant.objects.filter(is_active=True).order_by("position", "sku"),
                to_attr="active_variants",
            ),
        )
        .filter(slug=slug)
        .first()
    )


def choose_variant(variants: list[Variant], sku: str | None) -> Variant | None:
    """The variant the customer asked for by SKU, else the first one (None when none)."""
    if sku:
        for variant in variants:
            if variant.sku == sku:
                return variant
    return variants[0] if variants else None


# Price reductions (Omnibus) ----------------------------------------------------------------


@dataclass(frozen=True)
class Reduction:
    """A price announced as reduced: the reference is the lowest price applied in the 30 days
    before the reduction started (EU directive 98/6/EC art. 6a, French L112-1-1)."""

    price_cents: int
    reference_cents: int
    ends_at: datetime | None = None

    @property
    def last_day(self):
        """The last day the reduction runs, in the network's time zone (`ends_at` excluded)."""
        if self.ends_at is None:
            return None
        return (timezone.localtime(self.ends_at) - timedelta(microseconds=1)).date()

    @property
    def percent(self) -> int:
        """The reduction in whole percent, rounded down: never more than it is."""
        return (self.reference_cents - self.price_cents) * 100 // self.reference_cents


def reduction_of(
    *, price_cents: int, reference_cents: int | None, ends_at: datetime | None = None
) -> Reduction | None:
    """The reduction to show, or None when the price is not below its 30-day reference (or
    there is no history before the reduction: the price itself is then the reference)."""
    if reference_cents is None or reference_cents <= price_cents:
        return None
    return Reduction(price_cents=price_cents, reference_cents=reference_cents, ends_at=ends_at)


def promotion_running(now: datetime) -> Q:
    """Rows whose announced reduction is running at `now` (fields promotion_started_at and
    promotion_ends_at, on Variant for HQ's price, on StockLevel for a store's)."""
    return Q(promotion_started_at__lte=now) & (
        Q(promotion_ends_at__isnull=True) | Q(promotion_ends_at__gt=now)
    )


def omnibus_reference(*, variant: str, store: str | None, started: str) -> Subquery:
    """A subquery for an outer queryset: the lowest price its offer had in the 30 days before
    the moment in the outer field `started` (the prices applied in the window, plus the one in
    effect when the window opened). NULL when the offer has no price before that moment.

    `variant`, `store` (None: HQ's own price) and `started` name the outer fields. Each offer
    costs two range scans of price_history_by_offer: fine for a page of offers, in one query."""

    def outer(name: str, depth: int):
        ref = OuterRef(name)
        for _level in range(depth - 1):
            ref = OuterRef(ref)
        return ref

    def offer_rows(depth: int):
        seller = Coalesce(outer(store, depth), Value(0)) if store else Value(0)
        return PriceHistory.objects.alias(seller=Coalesce("store_id", Value(0))).filter(
            variant_id=outer(variant, depth), seller=seller
        )

    def since(depth: int):
        return ExpressionWrapper(
            outer(started, depth) - timedelta(days=OMNIBUS_DAYS), output_field=DateTimeField()
        )

    opened_at = (
        offer_rows(2).filter(started_at__lt=since(2)).order_by("-started_at").values("started_at")
    )[:1]
    lowest = (
        offer_rows(1)
        .filter(started_at__lt=OuterRef(started))
        .filter(Q(started_at__gte=since(1)) | Q(started_at=Subquery(opened_at)))
        .order_by()
        .values("variant_id")
        .annotate(lowest=Min("price_cents"))
        .values("lowest")
    )
    return Subquery(lowest)


def hq_reductions(variants: Iterable[Variant | int], *, now: datetime) -> dict[int, Reduction]:
    """HQ's reductions running at `now` among `variants` (ids or objects), by variant id: one
    query."""
    ids = [getattr(variant, "pk", variant) for variant in variants]
    if not ids:
        return {}
    rows = (
        Variant.objects.filter(pk__in=ids)
        .filter(promotion_running(now))
        .annotate(
            reference=omnibus_reference(variant="pk", store=None, started="promotion_started_at")
        )
        .values_list("pk", "rrp_cents", "reference", "promotion_ends_at")
    )
    found = {}
    for pk, price, reference, ends_at in rows:
        reduction = reduction_of(price_cents=price, reference_cents=reference, ends_at=ends_at)
        if reduction is not None:
            found[pk] = reduction
    return found


def product_reductions(products: Iterable[Product | int], *, now: datetime) -> dict[int, Reduction]:
    """For a listing: each product's largest running HQ reduction among its variants, by
    product id: one query."""
    ids = [getattr(product, "pk", product) for product in products]
    if not ids:
        return {}
    rows = (
        Variant.objects.filter(product_id__in=ids, is_active=True)
        .filter(promotion_running(now))
        .annotate(
            reference=omnibus_reference(variant="pk", store=None, started="promotion_started_at")
        )
        .values_list("product_id", "rrp_cents", "reference", "promotion_ends_at")
    )
    found: dict[int, Reduction] = {}
    for product_id, price, reference, ends_at in rows:
        reduction = reduction_of(price_cents=price, reference_cents=reference, ends_at=ends_at)
        if reduction is not None and (
            product_id not in found or reduction.percent > found[product_id].percent
        ):
            found[product_id] = reduction
    return found
