"""The cookie banner in Chromium (issue 13, acceptance 5): before the visitor chooses, a page
with a store map asks the tile server for nothing and sets no cookie but the essential ones;
once she accepts, the tiles load; refused, the map's placeholder loads them once on a click.
Every choice is in the consent ledger with its notice version, time and channel.

The tile server is intercepted (no internet here): each request to it is counted and answered
with a small PNG."""

from __future__ import annotations

import base64
import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from compliance.models import ConsentChannel, ConsentPurpose, ConsentRecord
from tests.browser.test_pages import log_in
from tests.stores.factories import build_network

pytestmark = pytest.mark.browser

TILE_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"
)
# The cookies a page may set without consent (docs/consents.md).
ESSENTIAL_COOKIES = {"csrftoken", "sessionid", "django_language", "nm_place"}


@pytest.fixture
def network(transactional_db):
    return build_network()


@pytest.fixture
def tile_requests(page):
    """Every request the page makes to the tile server, answered locally."""
    host = re.escape(settings.MAP_TILE_URL.split("/{z}")[0])
    seen: list[str] = []

    def fulfil(route):
        seen.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=TILE_PNG)

    page.route(re.compile(f"^{host}/"), fulfil)
    return seen


def cookie_names(page) -> set[str]:
    return {cookie["name"] for cookie in page.context.cookies()}


def test_tiles_wait_for_the_visitors_consent_then_load_once_she_accepts(
    page, screenshot, network, tile_requests
):
    # Before any choice: the banner, the map's placeholder, no tile, essential cookies only
    page.goto("/stores/?q=69100")
    banner = page.get_by_test_id("cookie-banner")
    expect(banner).to_be_visible()
    for name in ("Tout accepter", "Tout refuser", "Personnaliser"):
        expect(banner.get_by_role("button", name=name)).to_be_visible()
    store_map = page.get_by_role("region", name="Carte des magasins")
    expect(store_map.locator("img.leaflet-marker-icon").first).to_be_visible()
    placeholder = page.get_by_role("group", name="Fond de carte")
    expect(placeholder).to_contain_text("tile.openstreetmap.org")
    expect(placeholder).to_contain_text("recevra votre adresse IP")
    page.wait_for_load_state("networkidle")
    assert tile_requests == []
    assert cookie_names(page) <= ESSENTIAL_COOKIES
    screenshot("cookie-banner-and-map-placeholder")

    # Equally prominent: the three answers have the same size
    sizes = {
        (round(box["width"]), round(box["height"]))
        for box in (
            banner.get_by_role("button", name=name).bounding_box()
            for name in ("Tout accepter", "Tout refuser", "Personnaliser")
        )
    }
    assert len(sizes) == 1

    # She accepts: the tiles load, the banner and the placeholder go
    banner.get_by_role("button", name="Tout accepter").click()
    expect(banner).to_be_hidden()
    expect(placeholder).to_be_hidden()
    expect(store_map.locator("img.leaflet-tile").first).to_be_visible()
    assert len(tile_requests) > 0
    assert "nm_consent" in cookie_names(page)
    row = ConsentRecord.objects.get()
    assert (row.purpose, row.granted, row.channel, row.notice_version) == (
        ConsentPurpose.COOKIES_MAPS,
        True,
        ConsentChannel.COOKIE_BANNER,
        settings.COOKIE_NOTICE_VERSION,
    )
    assert row.recorded_at is not None
    screenshot("cookie-consent-map-with-tiles")

    # Next page: no banner, the map loads at once
    page.wait_for_load_state("networkidle")
    tile_requests.clear()
    page.goto("/stores/villeurbanne-gratte-ciel/")
    expect(page.get_by_test_id("cookie-banner")).to_be_hidden()
    expect(page.locator("img.leaflet-tile").first).to_be_visible()
    assert len(tile_requests) > 0


def test_refused_the_placeholder_loads_the_tiles_once_and_can_remember(
    page, screenshot, network, tile_requests
):
    # On a phone: the banner's answers stack, nothing scrolls sideways
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/stores/?q=69100")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot("cookie-banner-phone-390")
    page.get_by_test_id("cookie-banner").get_by_role("button", name="Tout refuser").click()
    expect(page.get_by_test_id("cookie-banner")).to_be_hidden()
    page.wait_for_load_state("networkidle")
    assert tile_requests == []
    refusal = ConsentRecord.objects.get()
    assert (refusal.granted, refusal.channel) == (False, ConsentChannel.COOKIE_BANNER)

    # Once: a click loads this page's tiles, and records nothing
    placeholder = page.get_by_role("group", name="Fond de carte")
    expect(placeholder).to_be_visible()
    screenshot("map-placeholder-phone-390")
    placeholder.get_by_role("button", name="Afficher la carte").click()
    expect(page.locator("img.leaflet-tile").first).to_be_visible()
    assert len(tile_requests) > 0
    assert ConsentRecord.objects.count() == 1

    # The next page asks again, and this time she asks to remember
    page.wait_for_load_state("networkidle")
    tile_requests.clear()
    page.goto("/stores/villeurbanne-gratte-ciel/")
    page.wait_for_load_state("networkidle")
    assert tile_requests == []
    placeholder = page.get_by_role("group", name="Fond de carte")
    placeholder.get_by_label("Toujours afficher les cartes").check()
    with page.expect_response(lambda response: "/legal/cookies/choice/" in response.url) as saved:
        placeholder.get_by_role("button", name="Afficher la carte").click()
    assert saved.value.status == 200
    expect(page.locator("img.leaflet-tile").first).to_be_visible()
    assert len(tile_requests) > 0
    assert any("|maps|" in c["value"] for c in page.context.cookies() if c["name"] == "nm_consent")
    remembered = ConsentRecord.objects.order_by("-id").first()
    assert (remembered.granted, remembered.channel) == (True, ConsentChannel.MAP_PLACEHOLDER)
    assert remembered.visitor_id == refusal.visitor_id


def test_the_footer_reopens_the_banner_and_a_new_notice_asks_again(
    page, network, tile_requests, settings
):
    page.goto("/stores/?q=69100")
    page.get_by_test_id("cookie-banner").get_by_role("button", name="Personnaliser").click()
    page.get_by_test_id("cookie-banner").get_by_label("Cartes").check()
    page.get_by_test_id("cookie-banner").get_by_role("button", name="Enregistrer mes choix").click()
    expect(page.get_by_test_id("cookie-banner")).to_be_hidden()
    expect(page.locator("img.leaflet-tile").first).to_be_visible()

    # Reopened from the footer, she withdraws: recorded, and the next page loads no tile
    page.get_by_role("link", name="Gérer les cookies").click()
    expect(page.get_by_test_id("cookie-banner")).to_be_visible()
    page.get_by_test_id("cookie-banner").get_by_role("button", name="Tout refuser").click()
    expect(page.get_by_test_id("cookie-banner")).to_be_hidden()
    assert list(ConsentRecord.objects.order_by("id").values_list("granted", flat=True)) == [
        True,
        False,
    ]
    page.wait_for_load_state("networkidle")
    tile_requests.clear()
    page.reload()
    page.wait_for_load_state("networkidle")
    assert tile_requests == []

    # A new version of the cookie notice: the banner asks again
    settings.COOKIE_NOTICE_VERSION = "2099-01"
    page.reload()
    expect(page.get_by_test_id("cookie-banner")).to_be_visible()


def test_signed_in_customer_manages_her_consents(page, screenshot, network, customer):
    log_in(page, customer.email)
    page.goto("/accounts/consents/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes consentements")
    line = page.get_by_test_id("consent-line").filter(has_text="Ardoise")
    line.first.get_by_role("checkbox").check()
    page.get_by_test_id("consents-form").get_by_role("button", name="Enregistrer mes choix").click()
    expect(page.get_by_text("Vos choix sont enregistrés.")).to_be_visible()
    row = ConsentRecord.objects.get(user=customer)
    assert (row.purpose, row.granted, row.channel) == (
        ConsentPurpose.NETWORK_MARKETING,
        True,
        ConsentChannel.ACCOUNT_PAGE,
    )
    screenshot("account-my-consents")
