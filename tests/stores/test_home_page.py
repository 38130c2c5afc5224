"""The storefront's home page shows products: near the visitor once we know where they are,
HQ's reductions with their 30-day reference, the most sold and the newest, the departments."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from catalog.models import PriceHistory
from catalog.services import record_hq_price_changes
from stores.models import StockMovement
from tests.factories import ProductFactory, StockLevelFactory, VariantFactory

from .factories import build_network


@pytest.fixture(autouse=True)
def _fresh_most_sold_cache():
    cache.delete("storefront:home:most-sold")
    yield
    cache.delete("storefront:home:most-sold")


@pytest.fixture
def network(db):
    """The test network, with HQ's 20 mm pruner reduced from 29,90 to 24,90 and the hammer
    the most sold item of the month (then the hose)."""
    network = build_network()
    pruner = network.pruner_20
    PriceHistory.objects.create(
        variant=pruner, price_cents=2990, started_at=timezone.now() - timedelta(days=40)
    )
    pruner.rrp_cents = 2490
    pruner.promotion_started_at = timezone.now()
    pruner.save()
    record_hq_price_changes(variant_ids=[pruner.pk], source="test", at=pruner.promotion_started_at)
    for variant, units in ((network.hose.variants.get(), 2), (network.hammer.variants.get(), 5)):
        StockMovement.objects.create(
            store=network.presquile, variant=variant, delta=-units, on_hand_after=0,
            reason=StockMovement.Reason.SALE, source=StockMovement.Source.SYSTEM,
        )  # fmt: skip
    return network


def names(products) -> list[str]:
    return [product.name for product in products]


def test_home_shows_reductions_most_sold_new_products_and_departments(client, network):
    response = client.get("/")

    assert response.status_code == 200
    shelves = response.context["shelves"]
    assert names(shelves.reduced) == ["Sécateur Pro 20"]
    assert names(shelves.popular) == ["Marteau de charpentier", "Tuyau d'arrosage 25 m"]
    assert "Sécateur prototype" not in names(shelves.new)  # drafts never show
    assert len(shelves.new) == 5
    assert names(shelves.departments) == ["Jardin", "Bricolage"]
    assert shelves.near == []  # we do not know where the visitor is yet
    html = response.content.decode()
    reduced = html[html.index('data-testid="shelf-reduced"') :]
    assert re.search(r"24,90\s€</span> <del", reduced)
    assert re.search(r"Prix le plus bas des 30 derniers jours\s?: 29,90\s€", reduced)
    assert 'data-testid="shelf-near"' not in html
    assert 'name="postal_code"' in html


def test_home_shows_offers_of_the_stores_near_the_visitor_and_remembers_them(client, network):
    response = client.get("/", {"postal_code": "69002"})

    near = names(response.context["shelves"].near)
    # Not the shears (only in Paris), nor the hose (only in the warehouse)
    assert sorted(near) == ["Marteau de charpentier", "Sécateur Pro 20"]
    assert "près de 69002 Lyon" in response.content.decode()
    again = client.get("/")
    assert names(again.context["shelves"].near) == near


def test_an_unknown_postal_code_is_a_clear_error_and_the_page_still_shows_products(client, network):
    response = client.get("/", {"postal_code": "00000"})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="home-postal-code-error"' in html
    assert response.context["shelves"].new


def test_home_page_queries_do_not_grow_with_the_catalogue(
    client, network, django_assert_max_num_queries
):
    for index in range(40):
        variant = VariantFactory(product=ProductFactory(name=f"Gant {index:02d}"))
        StockLevelFactory(store=network.presquile, variant=variant)
    client.get("/", {"postal_code": "69002"})

    with django_assert_max_num_queries(18):
        response = client.get("/")

    shelves = response.context["shelves"]
    assert len(shelves.near) == len(shelves.new) == 8
