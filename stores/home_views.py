"""The storefront's front door: the home page and the header's search box.

Both read the network's stores and what they sell, so they live with the stores' storefront
pages rather than in the shared infrastructure below every app.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render

from catalog.selectors import clean_search_text

from .selectors import search_stores, searched_products, selling_stores

SEARCH_RESULTS_PER_PAGE = 24


def home(request):
    """The storefront's home: the network and the way to one's local store."""
    stores = selling_stores()
    return render(
        request,
        "storefront/home.html",
        {"stores": stores.order_by("city")[:12], "store_count": stores.count()},
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
