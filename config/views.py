"""Views of the project itself: uploaded media served by Django (right for one host with a media
volume), the sitemap's index and robots.txt."""

from django.conf import settings
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.static import serve

from network_marketplace.public_urls import public_address
from stores.sitemaps import SITEMAPS

# Files under this prefix (artwork, proofs, deliverables...) belong to one store or to HQ: they
# are served only by the views that check who asks, never as public media.
PRIVATE_PREFIX = "private/"


@cache_control(max_age=86400, public=True)
def media(request, path):
    """An uploaded file (a product image) from MEDIA_ROOT, read when asked, not at start-up."""
    if path.lstrip("/").startswith(PRIVATE_PREFIX):
        raise Http404
    return serve(request, path, document_root=settings.MEDIA_ROOT)


@x_robots_tag
def sitemap_index(request):
    """The sitemap's sections (stores.sitemaps), each at the site's public address (SITE_URL), a
    section of more than 50,000 addresses in several pages (?p=2), as search engines read them."""
    scheme, host = public_address()
    entries = []
    for section, sitemap_class in SITEMAPS.items():
        section_map = sitemap_class()
        location = f"{scheme}://{host}{reverse('sitemap-section', args=[section])}"
        last_mod = section_map.get_latest_lastmod()
        entries.append(SitemapIndexItem(location, last_mod))
        for page in range(2, section_map.paginator.num_pages + 1):
            entries.append(SitemapIndexItem(f"{location}?p={page}", last_mod))
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )


# Never worth a search engine's visit: private pages (the back office, HQ's admin, a customer's
# account, cart and orders), the API and the feeds, the search results (endless and thin).
NOT_FOR_CRAWLERS = (
    "/store/",
    f"/{settings.ADMIN_URL_PREFIX}",
    "/api/",
    "/accounts/",
    "/cart/",
    "/checkout/",
    "/orders/",
    "/payments/",
    "/supplier/",
    "/marketing/feeds/",
    "/team/",
    "/demo/",
    "/search/",
)


def robots_txt(request):
    scheme, host = public_address()
    lines = [
        "User-agent: *",
        *(f"Disallow: {path}" for path in NOT_FOR_CRAWLERS),
        "",
        f"Sitemap: {scheme}://{host}{reverse('sitemap')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
