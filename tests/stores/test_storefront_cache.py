"""The storefront's cached pages (catalog.cache, stores.listing_cache, docs/caching.md): how many
queries each page costs with a cold and a warm cache, and that what a customer sees about stock,
prices and the catalogue is never staler than HQ's StorefrontPolicy allows: a stock feed, a
price change and a catalogue edit show at once; a sale nobody announces shows within HQ's delay;
the product page's stock near the customer is always live."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from catalog import cache as storefront_cache
from catalog.models import Product, StorefrontPolicy, Variant
from compliance.services.traders import certify_trader
from stores.models import StockLevel
from stores.services import apply_stock_feed, set_store_price
from tests.api_clients import api_client
from tests.factories import MembershipFactory, ProductFactory, StockLevelFactory, VariantFactory

from .factories import build_network

HAMMER_CARD = re.compile(r"Marteau de charpentier.*?</article>", re.S)


@pytest.fixture
def network(db):
    return build_network()


def html(client, path, **params) -> str:
    response = client.get(path, params)
    assert response.status_code == 200
    return response.content.decode()


def hammer_card(page: str) -> str:
    """The hammer's card on a listing: its price and its stock badge."""
    match = HAMMER_CARD.search(page)
    assert match, "the hammer is not on the page"
    return match.group(0)


# Queries: a cold cache (the first visitor after a change) and a warm one --------------------


@pytest.fixture
def many_products(network):
    """Forty pruners in stock in Lyon: more than a page of 24 (query counts must not grow)."""
    cache.delete("storefront:home:most-sold")  # kept 10 minutes by an earlier test
    for index in range(40):
        variant = VariantFactory(product=ProductFactory(category=network.pruners))
        StockLevelFactory(store=network.presquile, variant=variant, on_hand=index + 1)
    return network


@pytest.mark.parametrize(
    ("path", "params", "cold", "warm"),
    [
        ("/c/jardin/", {}, 7, 0),
        ("/c/jardin/", {"in_stock": "on", "sort": "price", "page": "2"}, 7, 0),
        ("/search/", {"q": "secateur"}, 7, 0),
        ("/", {}, 10, 0),
        # Her place is remembered in a cookie and its postal code kept by the process.
        ("/", {"postal_code": "69002"}, 13, 0),
        # The product, its images, variants and network stock are cached like a listing.
        ("/p/secateur-pro-20/", {}, 7, 0),
        # The stores near her, their stock, prices and reductions, and the transfer offer are
        # live: the offers, their quantities with their stores, the transfer's source.
        ("/p/secateur-pro-20/", {"postal_code": "69002"}, 17, 3),
    ],
    ids=[
        "category",
        "category-filtered",
        "search",
        "home",
        "home-near-me",
        "product",
        "product-near-me",
    ],
)
def test_storefront_pages_take_a_pinned_number_of_queries_cold_and_warm(
    client, many_products, django_assert_num_queries, path, params, cold, warm
):
    with django_assert_num_queries(cold):
        client.get(path, params)
    with django_assert_num_queries(warm):
        response = client.get(path, params)
    assert response.status_code == 200


def test_catalogue_api_list_reads_only_its_client_when_warm(
    many_products, customer, django_assert_num_queries
):
    client = api_client(user=customer)
    with django_assert_num_queries(7):
        cold = client.get("/api/v1/products/", {"category": "jardin", "page_size": 100})
    with django_assert_num_queries(2):  # the session and its user
        warm = client.get("/api/v1/products/", {"category": "jardin", "page_size": 100})
    assert warm.json() == cold.json()
    assert cold.json()["count"] == 44


# What retires a cached page at once ---------------------------------------------------------


def test_a_stock_feed_shows_on_the_cached_category_page_at_once(client, network):
    assert "En stock dans 1 magasin" in hammer_card(html(client, "/c/bricolage/"))

    apply_stock_feed(
        store=network.part_dieu,
        rows=[{"sku": "MAR-CH", "on_hand": 6, "sequence": 1}],
        source="api",
        actor="pos",
    )

    assert "En stock dans 2 magasins" in hammer_card(html(client, "/c/bricolage/"))


def test_a_price_change_shows_on_the_cached_category_page_at_once(client, network):
    assert "23,90" in hammer_card(html(client, "/c/bricolage/"))

    set_store_price(
        store=network.presquile,
        variant=network.hammer.variants.get(),
        price_cents=2190,
        source="backoffice",
        actor="owner",
    )

    card = hammer_card(html(client, "/c/bricolage/"))
    assert "21,90" in card
    assert "23,90" not in card


def test_a_catalogue_edit_shows_on_cached_listings_and_search_at_once(client, network):
    html(client, "/c/bricolage/")
    html(client, "/search/", q="marteau")

    network.hammer.name = "Marteau de coffreur"
    network.hammer.save()

    assert "Marteau de coffreur" in html(client, "/c/bricolage/")
    assert "Marteau de coffreur" in html(client, "/search/", q="marteau")


def test_a_new_product_shows_on_the_cached_home_page_at_once(client, network):
    assert "Pelle ronde" not in html(client, "/")

    VariantFactory(product=ProductFactory(name="Pelle ronde", category=network.garden))

    assert "Pelle ronde" in html(client, "/")


# What shows within HQ's delay ------------------------------------------------------------------


def test_a_sale_nobody_announces_shows_on_listings_within_hqs_delay(client, network):
    """A sale or a hold is written with a conditional UPDATE (checkout's hot path): it retires
    nothing, and the listing may show the old badge until HQ's delay has passed."""
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        assert "En stock dans 1 magasin" in hammer_card(html(client, "/c/bricolage/"))
        StockLevel.objects.filter(store=network.presquile, variant__sku="MAR-CH").update(on_hand=0)

        traveller.shift(timedelta(seconds=59))
        assert "En stock dans 1 magasin" in hammer_card(html(client, "/c/bricolage/"))

        traveller.shift(timedelta(seconds=2))
        assert "Actuellement indisponible" in hammer_card(html(client, "/c/bricolage/"))


def test_hq_shortens_the_delay_and_the_cached_pages_follow_it(client, network):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        html(client, "/c/bricolage/")
        StockLevel.objects.filter(store=network.presquile, variant__sku="MAR-CH").update(on_hand=0)
        policy = StorefrontPolicy.current()
        policy.listing_max_age_seconds = 10
        policy.save()

        traveller.shift(timedelta(seconds=11))
        assert "Actuellement indisponible" in hammer_card(html(client, "/c/bricolage/"))


def test_no_delay_means_no_cache(client, network):
    policy = StorefrontPolicy.current()
    policy.listing_max_age_seconds = 0
    policy.save()
    html(client, "/c/bricolage/")

    StockLevel.objects.filter(store=network.presquile, variant__sku="MAR-CH").update(on_hand=0)

    assert "Actuellement indisponible" in hammer_card(html(client, "/c/bricolage/"))


# Always live -----------------------------------------------------------------------------------


def nearby_stores(page: str) -> str:
    match = re.search(r'data-testid="nearby-stores".*?</ol>', page, re.S)
    return match.group(0) if match else ""


def test_the_product_pages_stock_near_the_customer_is_live(client, network):
    """No delay at all: the store that sold its last unit a second ago is not offered."""
    page = html(client, "/p/secateur-pro-20/", postal_code="69002")
    assert "Ardoise Lyon Presqu" in nearby_stores(page)

    StockLevel.objects.filter(store=network.presquile, variant__sku="SEC-PRO-20").update(on_hand=0)

    page = html(client, "/p/secateur-pro-20/", postal_code="69002")
    assert "Ardoise Lyon Presqu" not in nearby_stores(page)
    assert "Ardoise Villeurbanne Gratte-Ciel" in nearby_stores(page)


# The product page's cached parts ----------------------------------------------------------


def price_box(page: str) -> str:
    """The product page's price box: HQ's price, the stores' range and the network's stock."""
    match = re.search(
        r'<div class="price-box">.*?</form>|<div class="price-box">.*?</div>', page, re.S
    )
    assert match, "no price box on the page"
    return match.group(0)


def test_a_catalogue_edit_a_price_change_and_a_stock_feed_show_on_the_cached_product_page_at_once(
    client, network
):
    page = html(client, "/p/secateur-pro-20/")
    assert "29,90" in price_box(page)
    assert "En stock dans 3 magasins" in price_box(page)

    product = Product.objects.get(slug="secateur-pro-20")
    product.name = "Sécateur Pro 20 Expert"
    product.save()
    assert "<h1>Sécateur Pro 20 Expert</h1>" in html(client, "/p/secateur-pro-20/")

    variant = Variant.objects.get(sku="SEC-PRO-20")
    variant.rrp_cents = 2790
    variant.save()
    box = price_box(html(client, "/p/secateur-pro-20/"))
    assert "27,90" in box
    assert "29,90" not in box

    apply_stock_feed(
        store=network.presquile,
        rows=[{"sku": "SEC-PRO-20", "on_hand": 0, "sequence": 1}],
        source="api",
        actor="pos",
    )
    assert "En stock dans 2 magasins" in price_box(html(client, "/p/secateur-pro-20/"))


def test_a_sale_nobody_announces_shows_in_the_product_pages_network_stock_within_hqs_delay(
    client, network
):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        assert "En stock dans 3 magasins" in price_box(html(client, "/p/secateur-pro-20/"))
        StockLevel.objects.filter(store=network.presquile, variant__sku="SEC-PRO-20").update(
            on_hand=0
        )

        traveller.shift(timedelta(seconds=59))
        assert "En stock dans 3 magasins" in price_box(html(client, "/p/secateur-pro-20/"))

        traveller.shift(timedelta(seconds=2))
        assert "En stock dans 2 magasins" in price_box(html(client, "/p/secateur-pro-20/"))


def test_a_store_price_near_the_customer_is_live_on_the_product_page(client, network):
    assert "29,90" in nearby_stores(html(client, "/p/secateur-pro-20/", postal_code="69002"))

    StockLevel.objects.filter(store=network.presquile, variant__sku="SEC-PRO-20").update(
        price_cents=2590
    )

    assert "25,90" in nearby_stores(html(client, "/p/secateur-pro-20/", postal_code="69002"))


def test_each_visitor_gets_her_own_csrf_token_in_the_cached_price_box(network):
    """The price box is rendered once for everybody; its form must still carry each visitor's
    token, or her "add to cart" would be refused."""
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    tokens = []
    for visitor in (first, second):
        box = price_box(html(visitor, "/p/secateur-pro-20/"))
        tokens.append(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', box).group(1))
        assert "csrf-stand-in" not in box
    assert tokens[0] != tokens[1]

    response = second.post(
        "/cart/add/",
        {
            "csrfmiddlewaretoken": tokens[1],
            "variant": "SEC-PRO-20",
            "method": "home_delivery",
            "quantity": "1",
            "next": "/p/secateur-pro-20/",
        },
    )
    assert response.status_code == 302
    assert 'data-testid="cart-count">1<' in html(second, "/p/secateur-pro-20/")


def offer_of(page: str, store_name: str) -> str:
    """One store's line in the product page's "near you" list."""
    match = re.search(r'<li class="offer">(?:(?!</li>).)*?' + re.escape(store_name) + r".*?</li>",
                      nearby_stores(page), re.S)  # fmt: skip
    assert match, f"{store_name} is not offered"
    return match.group(0)


def test_the_near_you_panel_is_kept_rendered_but_follows_each_sale_and_each_visitor(network):
    """The panel's HTML is kept under what it shows (stores.storefront_views._near_you_shows):
    a sale that changes a store's band shows at once, and the kept copy's forms carry each
    visitor's own CSRF token."""
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    page = html(first, "/p/secateur-pro-20/", postal_code="69002")
    assert "En stock" in offer_of(page, "Ardoise Lyon Presqu")

    StockLevel.objects.filter(store=network.presquile, variant__sku="SEC-PRO-20").update(on_hand=2)

    page = html(second, "/p/secateur-pro-20/", postal_code="69002")
    assert "Derniers articles" in offer_of(page, "Ardoise Lyon Presqu")
    assert "csrf-stand-in" not in page
    token = re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"', offer_of(page, "Ardoise Lyon Presqu")
    ).group(1)
    response = second.post(
        "/cart/add/",
        {
            "csrfmiddlewaretoken": token,
            "variant": "SEC-PRO-20",
            "store": "lyon-presquile",
            "method": "click_collect",
            "quantity": "1",
            "next": "/p/secateur-pro-20/",
        },
    )
    assert response.status_code == 302
    assert 'data-testid="cart-count">1<' in html(second, "/p/secateur-pro-20/")


def test_a_stores_new_name_and_its_certification_show_on_the_cached_product_page_at_once(
    client, network
):
    """The near-you panel and the sellers' identity under it are kept rendered: a store's save
    (HQ renames it, moves it) and its trader certification retire them (the stores' version),
    they do not wait for HQ's delay."""
    offer = offer_of(html(client, "/p/secateur-pro-20/", postal_code="69002"), "Lyon Presqu")
    assert "12 rue Mercière" in offer
    assert "Ce vendeur certifie" not in offer

    store = network.presquile
    store.name, store.address_line = "Ardoise Lyon Cordeliers", "3 place des Cordeliers"
    store.save()

    page = html(client, "/p/secateur-pro-20/", postal_code="69002")
    assert "Vendu par Ardoise Lyon Presqu" not in nearby_stores(page)
    offer = offer_of(page, "Ardoise Lyon Cordeliers")
    assert "3 place des Cordeliers" in offer
    assert "Vendu par Ardoise Lyon Cordeliers, professionnel" in offer
    assert "Ce vendeur certifie" not in offer

    owner = MembershipFactory(store=store).user
    certify_trader(
        store=store, actor=owner, text_version=settings.TRADER_CERTIFICATION_VERSION, enforce=False
    )

    offer = offer_of(html(client, "/p/secateur-pro-20/", postal_code="69002"), "Cordeliers")
    assert "Ce vendeur certifie" in offer


def test_many_visitors_places_do_not_push_the_shared_parts_out_of_the_process(
    client, network, monkeypatch, django_assert_max_num_queries
):
    """Each place a visitor types makes its own copies (her place, the stores near it, the "near
    you" panel): they are kept apart from the parts every visitor reads, so another product's
    page stays warm however many postal codes the visitors type on this one."""
    monkeypatch.setattr(storefront_cache, "IN_PROCESS_ENTRIES", 30)
    monkeypatch.setattr(storefront_cache, "PER_VISITOR_ENTRIES", 30, raising=False)
    html(client, "/p/marteau/")
    typed = ["69002", "69003", "69100", "75011", *(f"690{n:02d}" for n in range(10, 40))]
    for postal_code in typed:
        html(Client(), "/p/secateur-pro-20/", postal_code=postal_code)

    with django_assert_max_num_queries(0):
        html(client, "/p/marteau/")
