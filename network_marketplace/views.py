from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET
from django.views.static import serve

from catalog.selectors import clean_search_text
from stores.selectors import search_stores, searched_products, selling_stores

from .health import platform_health

SEARCH_RESULTS_PER_PAGE = 24


@never_cache
@require_GET
def healthz(request):
    """Readiness: 200 when the database, cache, broker and a worker answer, else 503."""
    healthy, report = platform_health()
    return JsonResponse(report, status=200 if healthy else 503)


@never_cache
@require_GET
def liveness(request):
    """Liveness: the web process answers; used by container health checks, touches nothing."""
    return HttpResponse("ok", content_type="text/plain")


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
    stores (name, town, postal code) on the first page of results."""
    query = clean_search_text(request.GET.get("q", ""))
    page = stores = None
    if query:
        page = Paginator(searched_products(query), SEARCH_RESULTS_PER_PAGE).get_page(
            request.GET.get("page")
        )
        stores = search_stores(query) if page.number == 1 else []
    return render(
        request,
        "storefront/search.html",
        {"query": query, "page": page, "stores": stores},
    )


@cache_control(max_age=86400, public=True)
def media(request, path):
    """An uploaded file (a product image) from MEDIA_ROOT, read when asked, not at start-up."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)
