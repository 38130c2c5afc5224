"""What the storefront offers search engines (/sitemap.xml, named in /robots.txt): its home page
and store locator, every category, every published product and every selling store, each at the
site's public address (SITE_URL) whatever host the request came through (a proxy, a health
check). A product archived, a store closed or suspended leaves the map at the next crawl."""

from __future__ import annotations

from datetime import datetime

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from catalog.models import Category, Product
from catalog.selectors import category_tree, published_products
from network_marketplace.public_urls import public_address

from .models import Store
from .selectors.locations import selling_stores


class StorefrontSitemap(Sitemap):
    """A section whose URLs are at SITE_URL, not at the Site row's domain or the request's."""

    def get_protocol(self, protocol: str | None = None) -> str:
        return public_address()[0]

    def get_domain(self, site=None) -> str:
        return public_address()[1]


class PagesSitemap(StorefrontSitemap):
    def items(self) -> list[str]:
        return ["home", "stores:list"]

    def location(self, item: str) -> str:
        return reverse(item)


class CategorySitemap(StorefrontSitemap):
    def items(self) -> list[Category]:
        return sorted(category_tree().by_pk.values(), key=lambda category: category.pk)

    def location(self, item: Category) -> str:
        return reverse("catalogue:category", args=[item.slug])


class ProductSitemap(StorefrontSitemap):
    def items(self):
        return published_products().select_related(None).only("slug", "updated_at").order_by("pk")

    def location(self, item: Product) -> str:
        return reverse("catalogue:product", args=[item.slug])

    def lastmod(self, item: Product) -> datetime:
        return item.updated_at

    def get_latest_lastmod(self) -> datetime | None:
        """One aggregate, not every product loaded (the sitemap index asks for it)."""
        return published_products().aggregate(latest=Max("updated_at"))["latest"]


class StoreSitemap(StorefrontSitemap):
    def items(self):
        return selling_stores().only("slug", "updated_at").order_by("pk")

    def location(self, item: Store) -> str:
        return reverse("stores:detail", args=[item.slug])

    def lastmod(self, item: Store) -> datetime:
        return item.updated_at

    def get_latest_lastmod(self) -> datetime | None:
        return selling_stores().aggregate(latest=Max("updated_at"))["latest"]


SITEMAPS: dict[str, type[StorefrontSitemap]] = {
    "pages": PagesSitemap,
    "categories": CategorySitemap,
    "products": ProductSitemap,
    "stores": StoreSitemap,
}
