"""A customer browses the catalogue, finds a product in the stores near 69002, switches model,
then looks for a store. The map's tiles come from the internet, which tests never reach: the
stores' markers and lists must show without them."""

import json
import re

import pytest
from playwright.sync_api import expect

from tests.stores.factories import build_network

pytestmark = pytest.mark.browser


@pytest.fixture
def network(db):
    return build_network()


@pytest.fixture
def offline_tiles(page):
    page.route(re.compile(r"^https://tile\.openstreetmap\.org/"), lambda route: route.abort())
    return page


def test_customer_finds_a_product_in_the_stores_near_them(page, offline_tiles, screenshot, network):
    page.goto("/")
    page.get_by_role("navigation", name="Principal").get_by_role("link", name="Jardin").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jardin")
    expect(page.get_by_role("status")).to_have_text("4 produits")
    screenshot("catalogue-category")

    page.get_by_label("En stock uniquement").check()
    page.get_by_role("button", name="Appliquer").click()
    expect(page.get_by_role("status")).to_have_text("3 produits")
    page.wait_for_load_state()  # the deferred script that submits on change has run
    page.get_by_label("Trier par").select_option(label="Prix croissant")
    expect(page).to_have_url(re.compile(r"sort=price"))
    cards = page.locator(".product-card__name")
    expect(cards).to_have_text(["Sécateur Pro 20", "Tuyau d'arrosage 25 m", "Cisaille à haie"])
    screenshot("catalogue-category-filtered")

    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("catalogue-category-mobile")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("link", name="Sécateur Pro 20").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sécateur Pro 20")
    expect(page.get_by_test_id("store-price-range")).to_have_text(
        "En magasin : de 27,90\xa0€ à 29,90\xa0€"
    )
    screenshot("product-page")

    page.get_by_label("Votre code postal").fill("69002")
    page.get_by_role("button", name="Voir les magasins").click()
    nearby = page.get_by_test_id("nearby-stores").get_by_role("link")
    expect(nearby).to_have_text(["Ardoise Lyon Presqu'île", "Ardoise Villeurbanne Gratte-Ciel"])
    store_map = page.get_by_role("region", name="Carte des magasins")
    expect(store_map).to_be_visible()  # Leaflet ran from our static files
    expect(store_map.locator(".leaflet-marker-icon")).to_have_count(2)
    screenshot("product-page-nearby-stores")

    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("product-page-nearby-stores-mobile")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("radio", name=re.compile("25 mm")).check()
    expect(page).to_have_url(re.compile(r"variant=SEC-PRO-25"))
    expect(nearby).to_have_text(["Ardoise Lyon Part-Dieu"])
    expect(page.locator(".price--big")).to_have_text("34,90\xa0€")
    expect(store_map.locator(".leaflet-marker-icon")).to_have_count(1)
    screenshot("product-page-other-variant")

    page.get_by_role("searchbox", name="Rechercher").fill("3760001000023")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.locator(".product-card__name")).to_have_text(["Sécateur Pro 20"])
    screenshot("search-products")
    page.get_by_role("link", name="Sécateur Pro 20").click()
    expect(page.get_by_role("radio", name=re.compile("25 mm"))).to_be_checked()


def test_variant_choice_and_postal_code_work_without_javascript(browser, live_server, network):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/p/secateur-pro-20/")
        page.get_by_role("radio", name=re.compile("25 mm")).check()
        page.get_by_role("button", name="Voir ce modèle").click()
        expect(page).to_have_url(re.compile(r"variant=SEC-PRO-25"))

        page.get_by_label("Votre code postal").fill("69100")
        page.get_by_role("button", name="Voir les magasins").click()

        expect(page.get_by_test_id("nearby-stores").get_by_role("link")).to_have_text(
            ["Ardoise Lyon Part-Dieu"]
        )
        expect(page.get_by_role("region", name="Carte des magasins")).to_be_hidden()
    finally:
        context.close()


def test_customer_uses_the_browser_position_instead_of_a_postal_code(browser, live_server, network):
    context = browser.new_context(
        base_url=live_server.url,
        geolocation={"latitude": 45.7700, "longitude": 4.8800},
        permissions=["geolocation"],
    )
    context.route(re.compile(r"^https://tile\.openstreetmap\.org/"), lambda route: route.abort())
    page = context.new_page()
    try:
        page.goto("/p/secateur-pro-20/")
        page.get_by_role("button", name="Utiliser ma position actuelle").click()

        nearby = page.get_by_test_id("nearby-stores").get_by_role("link")
        expect(nearby.first).to_have_text("Ardoise Villeurbanne Gratte-Ciel")
        expect(page.get_by_test_id("availability-panel")).to_contain_text("votre position")
    finally:
        context.close()


def test_customer_finds_the_nearest_store_and_its_page(page, offline_tiles, screenshot, network):
    page.goto("/stores/")
    expect(page.get_by_role("region", name="Carte des magasins")).to_be_visible()
    screenshot("store-locator")

    page.get_by_label("Code postal ou commune").fill("69100")
    page.get_by_role("button", name="Trouver les magasins proches").click()
    nearest = page.get_by_test_id("nearest-stores").locator("li")
    expect(nearest.first).to_contain_text("Ardoise Villeurbanne Gratte-Ciel")
    expect(nearest.first).to_contain_text(re.compile(r"\d+ (m|km)\b"))
    screenshot("store-locator-nearest")

    nearest.first.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ardoise Villeurbanne Gratte-Ciel")
    expect(page.get_by_role("heading", name="Horaires d'ouverture")).to_be_visible()
    expect(page.get_by_test_id("opening-status")).to_have_text(
        re.compile("Ouvert maintenant|Fermé actuellement")
    )
    expect(page.get_by_role("link", name="Sécateur Pro 20")).to_be_visible()
    structured = json.loads(page.locator('script[type="application/ld+json"]').text_content())
    assert structured["geo"]["latitude"] == pytest.approx(45.7694)
    screenshot("store-page-full")

    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("store-page-mobile")
