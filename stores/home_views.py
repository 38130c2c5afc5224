"""The storefront's front door: the home page and the header's search box.

Both read the network's stores and what they sell, so they live with the stores' storefront
pages rather than in the shared infrastructure below every app.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from catalog.selectors import category_tree, clean_search_text

from .listing_cache import cached_fragment
from .selectors import home_shelves, search_stores, searched_products, selling_stores
from .storefront_views import customer_location

SEARCH_RESULTS_PER_PAGE = 24


def home(request):
    """The storefront's home: products (near the visitor when we know where they are, reduced,
    new, most sold), the departments, the network and the way to one's local store. The
    shelves and the network are a cached fragment, per place (stores.listing_cache)."""
    lookup = customer_location(request)

    def shelves() -> dict:
        stores = selling_stores()
        return {
            "shelves": home_shelves(near=lookup.location, now=timezone.now()),
            "location": lookup.location,
            "stores": stores.order_by("city")[:12],
            "store_count": stores.count(),
        }

    return render(
        request,
        "storefront/home.html",
        {
            "shelves": cached_fragment(
                request,
                "home-shelves",
                template="storefront/_home_shelves.html",
                context=shelves,
                place=lookup.location,
            ).html,
            "location": lookup.location,
            "location_query": lookup.query,
            "location_error": lookup.error,
            "nav_categories": category_tree().roots(),
        },
    )


def search(request):
    """The header's search box: products (name, brand, SKU, GTIN, description) first, then
    the stores that match (name, town, postal code), if any, on the first page of results."""
    query = clean_search_text(request.GET.get("q", ""))

    def results() -> dict:
        page = Paginator(searched_products(query), SEARCH_RESULTS_PER_PAGE).get_page(
            request.GET.get("page")
        )
        stores = list(search_stores(query)) if page.number == 1 else []
        return {"page": page, "stores": stores}

    found = None
    if query:
        found = cached_fragment(
            request, "search-results", template="storefront/_search_results.html", context=results
        )
    return render(
        request,
        "storefront/search.html",
        {"query": query, "results": found, "nav_categories": category_tree().roots()},
    )
