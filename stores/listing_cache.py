"""The storefront's cached page parts: a listing's rendered products, kept under a key that
says what they show and built on the catalogue's versions (catalog.cache, docs/caching.md).

A listing (a category's products, search results, the home page's shelves) is the same for
every visitor who asks the same thing: the same address and query string, the same language,
and the same place when the listing depends on where the visitor is. Its rendered HTML is kept
at most HQ's `StorefrontPolicy.listing_max_age_seconds` and retired at once by a catalogue
edit, a price change or a stock feed. What depends on the visitor (the header, her location in
the filter form, the product page's stores near her) is rendered on each request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from catalog import cache as storefront_cache
from catalog.selectors import listing_max_age

from .selectors import CustomerLocation


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
