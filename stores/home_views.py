"""The storefront's front door: the home page and the header's search box.

Both read the network's stores and what they sell, so they live with the stores' storefront
pages rather than in the shared infrastructure below every app.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from catalog.selectors import clean_search_text

from .selectors import home_shelves, search_stores, searched_products, selling_stores
from .storefront_views import customer_location

SEARCH_RESULTS_PER_PAGE = 24


def home(request):
    """The storefront's home: products (near the visitor when we know where they are, reduced,
    new, most sold), the departments, the network and the way to one's local store."""
    lookup = customer_location(request)
    stores = selling_stores()
    return render(
        request,
        "storefront/home.html",
        {
            "shelves": home_shelves(near=lookup.location, now=timezone.now()),
            "location": lookup.location,
            "location_query": lookup.query,
            "location_error": lookup.error,
            "stores": stores.order_by("city")[:12],
            "store_count": stores.count(),
        },
    )


def search(request):
    """The header's search box: products (name, brand, SKU, GTIN, description) first, then
    the stores that match (name, town, postal code), if any, on the first page of results."""
    query = clean_search_text(request.GET.get("q", ""))
    page = stores = None
    if query:
        page = Paginator(searched_products(query), SEARCH_RESULTS_PER_PAGE).get_page(
            request.GET.get("page")
        )
        stores = list(search_stores(query)) if page.number == 1 else []
    return render(
        request,
        "storefront/search.html",
        {"query": query, "page": page, "stores": stores},
    )
