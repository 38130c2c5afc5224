"""The storefront's cached page parts: a listing's rendered products, kept under a key that
says what they show and built on the catalogue's versions (catalog.cache, docs/caching.md).

A listing (a category's products, search results, the home page's shelves) is the same for
every visitor who asks the same thing: the same address and query string, the same language,
and the same place when the listing depends on where the visitor is. Its rendered HTML is kept
at most HQ's `StorefrontPolicy.listing_max_age_seconds` and retired at once by a catalogue
edit, a price change or a stock feed. What depends on the visitor (the header, her location in
the filter form, the product page's stores near her) is rendered on each request.

A product page's product, variants and their network availability (`cached_product`) are kept
the same way, in each process: the page then only asks for what is near the visitor.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from catalog import cache as storefront_cache
from catalog.models import Product, Variant
from catalog.selectors import Reduction, hq_reductions, listing_max_age, published_product_by_slug

from .selectors import CustomerLocation, VariantAvailability, network_availability


@dataclass(frozen=True)
class Fragment:
    html: SafeString
    count: int | None = None


def cached_fragment(
    request: Any,
    kind: str,
    *,
    template: str,
    context: Callable[[], dict[str, Any]],
    place: CustomerLocation | None = None,
    count: Callable[[dict[str, Any]], int] | None = None,
) -> Fragment:
    """`template` rendered with `context()` (which runs the queries), or the copy kept for the
    same request path, query string, language and `place`. `count` reads, from the context, a
    number the rest of the page shows (the products found)."""
    query = sorted((name, values) for name, values in request.GET.lists())
    where = (place.latitude, place.longitude, place.label) if place is not None else None
    key = storefront_cache.key_for(kind, request.path, query, get_language(), where)

    def render() -> tuple[str, int | None]:
        values = context()
        html = render_to_string(template, values, request=request)
        return str(html), count(values) if count else None

    html, number = storefront_cache.cached(key, render, max_age=listing_max_age())
    return Fragment(mark_safe(html), number)  # noqa: S308  (our own template's output)


@dataclass(frozen=True)
class CachedProduct:
    """What a product page shows of a product whoever looks at it. Shared by the requests of a
    process: read it, never change it."""

    product: Product
    variants: list[Variant]
    images: list
    attributes: list[tuple[str, str]]
    availability: dict[int, VariantAvailability]
    hq_reductions: dict[int, Reduction]


def cached_product(slug: str) -> CachedProduct | None:
    """The published product at `slug` (None: no such product) with its active variants, their
    network availability and HQ's running reductions, kept by this process as long as a listing
    and retired by the same versions (a catalogue edit, a price change, a stock feed)."""

    def load() -> CachedProduct | None:
        product = published_product_by_slug(slug)
        if product is None:
            return None
        variants = product.active_variants
        announced = [item for item in variants if item.promotion_started_at is not None]
        return CachedProduct(
            product=product,
            variants=variants,
            images=list(product.images.all()),
            attributes=attribute_rows(product.attributes),
            availability=network_availability([item.pk for item in variants]) if variants else {},
            hq_reductions=hq_reductions(announced, now=timezone.now()),
        )

    key = storefront_cache.key_for("product", slug)
    return storefront_cache.kept_in_process(key, load, max_age=listing_max_age())


def attribute_rows(attributes) -> list[tuple[str, str]]:
    if not isinstance(attributes, dict):
        return []
    rows = []
    for name, value in attributes.items():
        if isinstance(value, list | tuple):
            value = ", ".join(str(item) for item in value)
        elif isinstance(value, bool):
            value = _("Yes") if value else _("No")
        rows.append((str(name), str(value)))
    return rows
