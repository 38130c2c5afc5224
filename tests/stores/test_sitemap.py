"""What the storefront offers search engines: /robots.txt keeps them out of the private pages and
names the sitemap; /sitemap.xml lists its sections, which list every category, every published
product and every selling store at the site's public address, and nothing a customer cannot open;
each page names its canonical address, and the product page describes its offers (JSON-LD)."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest
from django.test import Client

from catalog.models import Product
from stores.sitemaps import ProductSitemap
from tests.factories import ProductFactory, StockLevelFactory, VariantFactory

from .factories import build_network

PUBLIC = "https://shop.ardoise.example"


@pytest.fixture
def network(db, settings):
    settings.SITE_URL = PUBLIC
    return build_network()


@pytest.fixture
def many_pruners(network):
    """Forty pruners in stock in Lyon: more than a page of 24."""
    for index in range(40):
        variant = VariantFactory(product=ProductFactory(category=network.pruners))
        StockLevelFactory(store=network.presquile, variant=variant, on_hand=index + 1)
    return network


def locations(client: Client, url: str) -> list[str]:
    """The <loc> addresses of a sitemap or of the sitemap index at `url` (absolute or a path)."""
    parts = urlsplit(url)
    response = client.get(parts.path, {"p": parts.query[2:]} if parts.query else {})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    return re.findall(r"<loc>([^<]+)</loc>", response.content.decode())


def every_address(client: Client) -> list[str]:
    return [
        page for section in locations(client, "/sitemap.xml") for page in locations(client, section)
    ]


def test_robots_txt_keeps_crawlers_out_of_private_pages_and_names_the_sitemap(client, network):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    rules = response.content.decode().splitlines()
    assert rules[0] == "User-agent: *"
    for private in (
        "/store/",
        "/admin/",
        "/api/",
        "/cart/",
        "/checkout/",
        "/accounts/",
        "/orders/",
    ):
        assert f"Disallow: {private}" in rules
    assert "Disallow: /c/" not in rules
    assert "Disallow: /p/" not in rules
    assert f"Sitemap: {PUBLIC}/sitemap.xml" in rules


def test_the_sitemap_lists_what_customers_can_open_at_the_public_address(client, network):
    """Whatever host the request came through (here "testserver"), the addresses are SITE_URL's."""
    sections = locations(client, "/sitemap.xml")
    assert sections == [
        f"{PUBLIC}/sitemap-pages.xml",
        f"{PUBLIC}/sitemap-categories.xml",
        f"{PUBLIC}/sitemap-products.xml",
        f"{PUBLIC}/sitemap-stores.xml",
    ]

    addresses = every_address(client)

    assert f"{PUBLIC}/" in addresses
    assert f"{PUBLIC}/stores/" in addresses
    assert f"{PUBLIC}/c/secateurs/" in addresses
    assert f"{PUBLIC}/p/secateur-pro-20/" in addresses
    assert f"{PUBLIC}/p/marteau/" in addresses
    assert f"{PUBLIC}/stores/lyon-presquile/" in addresses
    # A draft product, a warehouse and a suspended store have no page a customer can open.
    assert f"{PUBLIC}/p/secateur-prototype/" not in addresses
    assert f"{PUBLIC}/stores/entrepot-saint-priest/" not in addresses
    assert f"{PUBLIC}/stores/lyon-confluence/" not in addresses
    for address in addresses:
        assert Client().get(urlsplit(address).path).status_code == 200, address


def test_an_archived_product_leaves_the_sitemap_and_a_new_one_joins_it(client, network):
    Product.objects.filter(slug="marteau").update(status=Product.Status.ARCHIVED)
    ProductFactory(name="Pelle", slug="pelle", category=network.garden_tools)

    addresses = every_address(client)

    assert f"{PUBLIC}/p/marteau/" not in addresses
    assert f"{PUBLIC}/p/pelle/" in addresses


def test_a_section_over_its_limit_is_split_into_pages_the_index_lists(client, network, monkeypatch):
    monkeypatch.setattr(ProductSitemap, "limit", 2)
    published = Product.objects.published().count()

    sections = locations(client, "/sitemap.xml")
    product_pages = [url for url in sections if "/sitemap-products.xml" in url]
    assert product_pages[1:] == [
        f"{PUBLIC}/sitemap-products.xml?p={page}" for page in range(2, (published + 1) // 2 + 1)
    ]
    listed = [address for page in product_pages for address in locations(client, page)]
    assert len(listed) == len(set(listed)) == published
    assert client.get("/sitemap-products.xml", {"p": "99"}).status_code == 404
    assert client.get("/sitemap-products.xml", {"p": "x"}).status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_the_products_section_reads_a_bounded_number_of_queries(
    client, network, django_assert_max_num_queries
):
    for index in range(40):
        ProductFactory(category=network.pruners, slug=f"pruner-{index}")

    with django_assert_max_num_queries(3):
        response = client.get("/sitemap-products.xml")

    assert response.content.decode().count("<url>") == Product.objects.published().count()


def structured_data(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no structured data"
    return json.loads(match.group(1))


def canonical(html: str) -> str | None:
    match = re.search(r'<link rel="canonical" href="([^"]+)">', html)
    return match.group(1) if match else None


def test_the_product_page_describes_its_offers_to_search_engines_as_it_shows_them(client, network):
    """schema.org Product JSON-LD with the prices the page shows: the stores' range, how many
    stores have it; its canonical address leaves out her postal code and the variant."""
    page = client.get("/p/secateur-pro-20/", {"postal_code": "69002", "variant": "SEC-PRO-20"})
    html = page.content.decode()

    assert canonical(html) == f"{PUBLIC}/p/secateur-pro-20/"
    data = structured_data(html)
    assert data["@type"] == "Product"
    assert data["url"] == f"{PUBLIC}/p/secateur-pro-20/"
    assert data["sku"] == "SEC-PRO-20"
    assert data["brand"] == {"@type": "Brand", "name": network.pruner.brand}
    offers = data["offers"]
    assert offers["availability"] == "https://schema.org/InStock"
    assert offers["priceCurrency"] == "EUR"
    shown = re.search(r'data-testid="store-price-range">([^<]+)<', html).group(1)
    euros_shown = [amount.replace(",", ".") for amount in re.findall(r"(\d+,\d\d)", shown)]
    assert [offers["lowPrice"], offers["highPrice"]] == [euros_shown[0], euros_shown[-1]]
    assert offers["offerCount"] >= 2


def test_a_product_nobody_has_is_out_of_stock_at_its_network_price(client, network):
    product = ProductFactory(name="Pelle", slug="pelle", category=network.garden_tools)
    variant = VariantFactory(product=product, sku="PELLE-1", rrp_cents=1990)

    data = structured_data(client.get("/p/pelle/").content.decode())

    assert data["sku"] == variant.sku
    assert data["offers"] == {
        "@type": "Offer",
        "price": "19.90",
        "availability": "https://schema.org/OutOfStock",
        "priceCurrency": "EUR",
        "url": f"{PUBLIC}/p/pelle/",
    }


def test_listings_name_their_canonical_address_without_filters_but_with_their_page(
    client, many_pruners
):
    category = client.get("/c/secateurs/", {"sort": "price", "in_stock": "on", "page": "2"})
    assert canonical(category.content.decode()) == f"{PUBLIC}/c/secateurs/?page=2"
    first = client.get("/c/secateurs/", {"sort": "price"})
    assert canonical(first.content.decode()) == f"{PUBLIC}/c/secateurs/"
    assert canonical(client.get("/").content.decode()) == f"{PUBLIC}/"
    assert canonical(client.get("/cart/").content.decode()) is None
