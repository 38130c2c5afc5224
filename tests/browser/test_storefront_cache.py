"""A customer looks at a cached category page while the Presqu'île store lowers the hammer's
price: the next visit shows the new price (catalog.cache, docs/caching.md). At 1280 px."""

import pytest
from playwright.sync_api import expect

from stores.services import set_store_price
from tests.stores.factories import build_network

pytestmark = pytest.mark.browser


@pytest.fixture
def network(db):
    return build_network()


def test_a_store_price_change_shows_on_the_cached_category_page(page, screenshot, network):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/c/bricolage/")
    hammer = page.locator(".product-card", has_text="Marteau de charpentier")
    expect(hammer.locator(".price__amount")).to_have_text("23,90\xa0€")
    page.reload()  # the second visit is served from the cache
    expect(hammer.locator(".price__amount")).to_have_text("23,90\xa0€")

    set_store_price(
        store=network.presquile,
        variant=network.hammer.variants.get(),
        price_cents=2190,
        source="backoffice",
        actor="owner",
    )
    page.reload()

    expect(hammer.locator(".price__amount")).to_have_text("21,90\xa0€")
    expect(page.get_by_role("status")).to_have_text("1 produit")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    screenshot("category-cached-after-price-change-1280")
