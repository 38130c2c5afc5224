"""No storefront page scrolls sideways on a 390 px phone, even with the long words real data
holds: a manufacturer's e-mail address and postal address in the product-safety table, a long
product name, a customer's long e-mail address. Each page is screenshotted at that width."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from checkout.services import CheckoutLine, add_to_cart, get_or_create_cart, place_order
from orders.models import FulfilmentMethod
from orders.services import CustomerDetails
from stores.opening_hours import STORE_TIME_ZONE
from tests.browser.test_pages import log_in
from tests.factories import UserFactory
from tests.stores.factories import build_network

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LONG_EMAIL = "service-consommateurs.securite-des-produits@outillage-jardin-europe.example.com"


@pytest.fixture
def network(transactional_db):
    network = build_network()
    network.pruner.name = "Sécateur Pro 20 à lame franche et contre-lame crantée"
    network.pruner.manufacturer_name = "Outillage Jardin Europe Manufacturing Gesellschaft mbH"
    network.pruner.manufacturer_address = (
        "Industriestraße 128, Gewerbegebiet Nord-Ost, 70565 Stuttgart-Vaihingen, Deutschland"
    )
    network.pruner.manufacturer_contact = LONG_EMAIL
    network.pruner.eu_responsible_person = (
        f"Ardoise Distribution SAS, 12 rue Mercière, 69002 Lyon, {LONG_EMAIL}"
    )
    network.pruner.product_identifier = "OJE-SECATEUR-PRO-20-LAME-FRANCHE-2026-REV-B"
    network.pruner.safety_information = (
        "Lame très tranchante : refermer le verrou après usage. https://www.outillage-jardin-"
        "europe.example.com/securite/notices/secateur-pro-20-lame-franche.pdf"
    )
    network.pruner.save()
    return network


@pytest.fixture
def shopper(network):
    """A customer with a long e-mail address, an order with a pickup time and a full cart."""
    customer = UserFactory(
        email="lea.martin-dubois.jardinage@fournisseur-de-messagerie-tres-long.example.com",
        first_name="Léa",
        last_name="Martin-Dubois",
    )
    day = timezone.localtime(timezone.now(), STORE_TIME_ZONE).date() + timedelta(days=1)
    start = datetime(day.year, day.month, day.day, 11, 30, tzinfo=STORE_TIME_ZONE)
    place_order(
        customer=CustomerDetails(
            email=customer.email,
            first_name="Léa",
            last_name="Martin-Dubois",
            address_line="3 rue Mercière",
            postal_code="69002",
            city="Lyon",
            user=customer,
        ),
        lines=[
            CheckoutLine(network.pruner_20, 1, FulfilmentMethod.CLICK_COLLECT, network.presquile)
        ],
        actor="storefront",
        pickup_slots={network.presquile.pk: (start, start + timedelta(minutes=30))},
    )
    cart = get_or_create_cart(user=customer)
    add_to_cart(
        cart=cart, variant=network.pruner_20, quantity=1,
        method=FulfilmentMethod.CLICK_COLLECT, store=network.presquile,
    )  # fmt: skip
    add_to_cart(
        cart=cart,
        variant=network.pruner_25,
        quantity=2,
        method=FulfilmentMethod.HOME_DELIVERY,
    )
    return customer


@pytest.fixture
def offline_tiles(page):
    page.route(re.compile(r"^https://tile\.openstreetmap\.org/"), lambda route: route.abort())
    return page


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def overflowing(page) -> list[str]:
    """The elements that stick out to the right of the viewport, to name in a failure."""
    return page.evaluate(
        """() => [...document.querySelectorAll("body *")]
            .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5
                && getComputedStyle(el).position !== "fixed"
                && !el.closest(".leaflet-container, .table-scroll"))
            .slice(0, 8)
            .map((el) => el.tagName.toLowerCase() + "." + el.className + " "
                + Math.round(el.getBoundingClientRect().right))"""
    )


def test_the_product_page_fits_a_phone_with_long_safety_details(
    page, offline_tiles, screenshot, network
):
    page.set_viewport_size(PHONE)
    page.goto("/p/secateur-pro-20/")
    expect(page.get_by_test_id("product-safety")).to_contain_text(LONG_EMAIL)
    page.get_by_label("Votre code postal").fill("69002")
    page.get_by_role("button", name="Voir les magasins").click()
    expect(page.get_by_test_id("nearby-stores").get_by_role("link").first).to_be_visible()

    screenshot("phone-390-product")

    assert page_width(page) <= 390, overflowing(page)
    # The safety table stays readable: each value starts under its label, not squeezed beside it
    label = page.get_by_test_id("product-safety").locator("dt").first.bounding_box()
    value = page.get_by_test_id("product-safety").locator("dd").first.bounding_box()
    assert value["width"] >= 250
    assert value["y"] >= label["y"] + label["height"] - 1


PAGES = [
    pytest.param("/", "home", id="home"),
    pytest.param("/c/jardin/", "category", id="category"),
    pytest.param("/search/?q=secateur", "search", id="search"),
    pytest.param("/stores/lyon-presquile/", "store", id="store-page"),
    pytest.param("/stores/", "store-list", id="store-list"),
]


@pytest.mark.parametrize(("path", "name"), PAGES)
def test_a_storefront_page_fits_a_phone(page, offline_tiles, screenshot, network, path, name):
    page.set_viewport_size(PHONE)
    page.goto(path)
    expect(page.get_by_role("heading", level=1).first).to_be_visible()

    screenshot(f"phone-390-{name}")

    assert page_width(page) <= 390, overflowing(page)


@pytest.mark.parametrize(
    ("path", "name"),
    [
        pytest.param("/cart/", "cart", id="cart"),
        pytest.param("/accounts/", "account", id="account"),
        pytest.param("/orders/", "my-orders", id="my-orders"),
    ],
)
def test_a_customers_own_page_fits_a_phone(page, offline_tiles, screenshot, shopper, path, name):
    page.set_viewport_size(PHONE)
    log_in(page, shopper.email)
    page.goto(path)
    expect(page.get_by_role("heading", level=1).first).to_be_visible()
    if name == "my-orders":
        expect(page.get_by_test_id("pickup-slot")).to_contain_text("11:30\u201312:00")

    screenshot(f"phone-390-{name}")

    assert page_width(page) <= 390, overflowing(page)
