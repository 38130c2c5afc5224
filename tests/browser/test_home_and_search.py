"""A visitor lands on the home page and finds products at once (near them once they give a
postal code, reductions with their 30-day reference, most sold, new, departments), then
searches: "perceuse" lists drills, not the wood screws that mention it, and no empty stores
block. At 1280 and 390 px."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from catalog.models import PriceHistory
from catalog.services import record_hq_price_changes
from tests.factories import ProductFactory, StockLevelFactory, VariantFactory
from tests.stores.factories import build_network

pytestmark = pytest.mark.browser


@pytest.fixture
def network(db):
    cache.delete("storefront:home:most-sold")
    network = build_network()
    pruner = network.pruner_20
    PriceHistory.objects.create(
        variant=pruner, price_cents=2990, started_at=timezone.now() - timedelta(days=40)
    )
    pruner.rrp_cents = 2490
    pruner.promotion_started_at = timezone.now()
    pruner.save()
    record_hq_price_changes(variant_ids=[pruner.pk], source="test", at=pruner.promotion_started_at)
    for name, description in [
        ("Vis à bois tête fraisée", "Vis à bois, pointe auto-perceuse et filetage partiel."),
        ("Perceuse-visseuse sans fil 18 V", "Deux vitesses, mandrin automatique."),
    ]:
        product = ProductFactory(name=name, description=description, category=network.diy)
        StockLevelFactory(store=network.presquile, variant=VariantFactory(product=product))
    return network


@pytest.mark.parametrize(
    ("width", "height"), [(1280, 900), (390, 844)], ids=["desktop-1280", "phone-390"]
)
def test_visitor_finds_products_on_the_home_page_then_searches(
    page, screenshot, network, width, height
):
    page.set_viewport_size({"width": width, "height": height})
    page.goto("/")

    # Products at once: reductions with their 30-day reference, new items, departments
    reduced = page.get_by_test_id("shelf-reduced")
    expect(reduced.get_by_role("link", name="Sécateur Pro 20")).to_be_visible()
    expect(reduced.get_by_test_id("reduced-price")).to_contain_text(
        re.compile(r"Prix le plus bas des 30 derniers jours\s?: 29,90")
    )
    expect(page.get_by_test_id("shelf-new").locator(".product-card")).to_have_count(7)
    departments = page.get_by_test_id("shelf-departments")
    expect(departments.get_by_role("link")).to_have_count(2)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(f"home-{width}")

    # Near the visitor once they say where they are
    page.get_by_label("Voir les offres des magasins près de chez vous").fill("69002")
    page.get_by_role("button", name="Voir les offres").click()
    near = page.get_by_test_id("shelf-near")
    expect(near.get_by_role("heading", level=2)).to_have_text(
        "En stock dans les magasins près de 69002 Lyon"
    )
    expect(near.get_by_role("link", name="Marteau de charpentier")).to_be_visible()
    expect(near.get_by_role("link", name="Cisaille à haie")).to_have_count(0)  # Paris only
    screenshot(f"home-near-{width}")

    # Search: the drill, not the screws; no stores block when no store matches
    page.get_by_role("searchbox", name="Rechercher").fill("perceuse")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.locator(".product-card__name")).to_have_text(["Perceuse-visseuse sans fil 18 V"])
    expect(page.get_by_role("heading", name="Magasins")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(f"search-perceuse-{width}")

    # The departments lead to their listing
    page.goto("/")
    page.get_by_test_id("shelf-departments").get_by_role("link", name="Bricolage").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bricolage")
