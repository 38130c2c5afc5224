"""A customer sees a product announced as reduced, by HQ and by a store near them, with the
struck reference price, the percentage and the lowest price of the 30 days before (Omnibus)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from catalog.models import PriceHistory
from catalog.services import record_hq_price_changes
from stores.models import StockLevel
from stores.services import update_offer
from tests.stores.factories import build_network

pytestmark = pytest.mark.browser


@pytest.fixture
def reduced_network(db):
    network = build_network()
    pruner = network.pruner_20
    forty_days_ago = timezone.now() - timedelta(days=40)
    PriceHistory.objects.create(variant=pruner, price_cents=2990, started_at=forty_days_ago)
    pruner.rrp_cents = 2490
    pruner.promotion_started_at = timezone.now()
    pruner.save()
    record_hq_price_changes(variant_ids=[pruner.pk], source="test", at=pruner.promotion_started_at)
    level = StockLevel.objects.get(store__slug="lyon-presquile", variant=pruner)
    PriceHistory.objects.create(
        variant=pruner, store_id=level.store_id, price_cents=2790, started_at=forty_days_ago
    )
    update_offer(store=level.store, variant=pruner, price_cents=2390, reduction=True,
                 reduction_ends_at=timezone.now() + timedelta(days=10), source="backoffice",
                 actor="test")  # fmt: skip
    return network


def test_customer_sees_a_reduction_with_the_lowest_price_of_the_30_days_before(
    page, screenshot, reduced_network
):
    page.route(re.compile(r"^https://tile\.openstreetmap\.org/"), lambda route: route.abort())
    page.goto("/p/secateur-pro-20/?postal_code=69002")

    main_price = page.locator(".price-box__main")
    expect(main_price).to_contain_text("24,90")
    expect(main_price.locator("del")).to_contain_text("29,90")
    expect(main_price).to_contain_text("\N{MINUS SIGN}16 %")
    expect(main_price).to_contain_text("Prix le plus bas des 30 derniers jours : 29,90")

    nearby = page.get_by_test_id("nearby-stores")
    presquile = nearby.locator("li", has_text="Presqu'île")
    expect(presquile.get_by_test_id("reduced-price")).to_contain_text("23,90")
    expect(presquile.get_by_test_id("reduced-price")).to_contain_text(
        "Prix le plus bas des 30 derniers jours : 27,90"
    )
    page.locator(".price-box").scroll_into_view_if_needed()
    screenshot("product-page-reduction")

    page.goto("/c/jardin/")
    card = page.locator(".product-card", has_text="Sécateur Pro 20")
    expect(card.get_by_test_id("reduced-price")).to_contain_text("\N{MINUS SIGN}16 %")
    screenshot("category-listing-reduction")
