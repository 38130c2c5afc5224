"""The stores' maps in a real browser, offline as tests always are: Leaflet's marker images come
from our static files (no broken image, no 404), and without tiles the map says so while the
list next to it stays the way to a store."""

import re

import pytest
from django.templatetags.static import static
from playwright.sync_api import expect

from tests.stores.factories import build_network

pytestmark = pytest.mark.browser


@pytest.fixture
def network(db):
    return build_network()


@pytest.fixture
def failed_requests(page):
    """Every request of the page that failed or answered 4xx/5xx, tiles aside (never reached)."""
    tiles = re.compile(r"^https://tile\.openstreetmap\.org/")
    page.route(tiles, lambda route: route.abort())
    failed = []
    page.on(
        "response",
        lambda response: response.status >= 400 and failed.append((response.status, response.url)),
    )
    page.on(
        "requestfailed",
        lambda request: not tiles.match(request.url) and failed.append(("failed", request.url)),
    )
    return failed


def broken_images(page) -> list[str]:
    """The page's images that did not load, but the map's tiles (the internet, out of reach)."""
    return page.evaluate(
        "Array.from(document.images).filter(img => !img.classList.contains('leaflet-tile'))"
        ".filter(img => img.complete && img.naturalWidth === 0).map(img => img.src)"
    )


@pytest.mark.parametrize(
    ("width", "height"), [(1280, 900), (390, 844)], ids=["desktop-1280", "phone-390"]
)
def test_store_maps_show_their_markers_without_a_broken_image(
    page, screenshot, failed_requests, network, width, height
):
    page.set_viewport_size({"width": width, "height": height})
    marker_url = static("vendor/leaflet/images/marker-icon.png")

    # The store locator, near 69100
    page.goto("/stores/?q=69100")
    store_map = page.get_by_role("region", name="Carte des magasins")
    expect(store_map).to_be_visible()
    markers = store_map.locator("img.leaflet-marker-icon")
    expect(markers.first).to_be_visible()
    expect(markers.first).to_have_attribute("src", marker_url)
    expect(store_map.locator("img.leaflet-marker-shadow").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert broken_images(page) == []
    # No tile before the visitor allows them (docs/consents.md); asked for, they never load
    # here: the map says so, and the list leads to the store
    page.get_by_role("button", name="Afficher la carte").click()
    expect(page.get_by_text("Le fond de carte n'a pas pu être chargé\xa0:")).to_be_visible()
    screenshot(f"store-locator-map-offline-{width}")
    nearest = page.get_by_test_id("nearest-stores").locator("li")
    nearest.first.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ardoise Villeurbanne Gratte-Ciel")

    # The store's own page
    store_map = page.get_by_role("region", name="Ardoise Villeurbanne Gratte-Ciel")
    expect(store_map.locator("img.leaflet-marker-icon")).to_have_count(1)
    page.wait_for_load_state("networkidle")
    assert broken_images(page) == []
    screenshot(f"store-page-map-{width}")

    # A product's stores near 69002
    page.goto("/p/secateur-pro-20/?postal_code=69002")
    store_map = page.get_by_role("region", name="Carte des magasins")
    expect(store_map.locator("img.leaflet-marker-icon")).to_have_count(2)
    page.wait_for_load_state("networkidle")
    assert broken_images(page) == []
    assert failed_requests == []
