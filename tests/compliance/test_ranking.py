"""Ranking transparency (P2B art. 5, 7): the public and back-office pages show the routing
weights and the search order the code runs on; changing HQ's routing policy changes them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.utils import translation

from compliance.services.ranking import (
    ORDERING_KEYS,
    UndisclosedRankingParameter,
    describe_ordering,
    ranking_disclosure,
)
from orders.models import OrderPolicy
from stores.selectors.locations import NEAR_RADIUS_KM
from stores.selectors.storefront import CATALOGUE_SORTS, searched_products
from tests.factories import PASSWORD


def weights(page: str) -> dict[str, str]:
    """The relative weight shown on each routing parameter's row."""
    shown = {}
    for key in OrderPolicy.WEIGHTS:
        row = page.split(f'data-testid="weight-{key}"', 1)[1].split("</tr>", 1)[0]
        shown[key] = row.rsplit("<strong>", 1)[1].split("</strong>", 1)[0]
    return shown


@pytest.mark.django_db
def test_the_ranking_pages_weights_change_when_hq_changes_the_routing_policy(
    lyon_store, lyon_owner
):
    owner = Client()
    owner.login(email=lyon_owner.email, password=PASSWORD)
    pages = [
        lambda: Client().get("/legal/ranking/").content.decode(),
        lambda: owner.get(f"/store/{lyon_store.slug}/ranking/").content.decode(),
    ]
    for page in pages:
        assert weights(page()) == {
            "distance_weight": "40,0 %", "stock_depth_weight": "20,0 %",
            "load_weight": "25,0 %", "fairness_weight": "15,0 %",
        }  # fmt: skip

    policy = OrderPolicy.current()
    policy.distance_weight = Decimal("0.10")
    policy.fairness_weight = Decimal("0.65")
    policy.save()

    for page in pages:
        assert weights(page()) == {
            "distance_weight": "8,3 %", "stock_depth_weight": "16,7 %",
            "load_weight": "20,8 %", "fairness_weight": "54,2 %",
        }  # fmt: skip


@pytest.mark.django_db
def test_hq_s_own_locations_treatment_follows_the_policy(lyon_store):
    policy = OrderPolicy.current()
    first = ranking_disclosure().own_locations[0]
    assert first.startswith("Entrepôt en premier") or "Warehouse first" in first

    policy.warehouse_first = False
    policy.max_distance_km = 80
    policy.save()
    disclosure = ranking_disclosure()

    assert "Entrepôt en premier" not in disclosure.own_locations[0]
    assert any("80 km" in line for line in disclosure.own_locations)
    assert any("80 km" in rule for rule in disclosure.routing_rules)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("count", "parcels", "days"),
    [
        (1, "en 1 colis au plus", "(1 jour de plus)"),
        (2, "en 2 colis au plus", "(2 jours de plus)"),
    ],
    ids=["one", "two"],
)
def test_the_routing_rules_count_parcels_and_days_in_agreeing_words(count, parcels, days):
    policy = OrderPolicy.current()
    policy.max_parcels = policy.transfer_delay_days = count
    policy.transfer_for_collect = True
    policy.save()

    with translation.override("fr"):
        rules = ranking_disclosure().routing_rules

    assert any(parcels in rule for rule in rules)
    assert any(days in rule for rule in rules)


@pytest.mark.django_db
def test_every_ordering_the_storefront_uses_is_described():
    search_keys = list(searched_products("x").query.order_by)
    sort_keys = [key for ordering in CATALOGUE_SORTS.values() for key in ordering]

    assert set(search_keys + sort_keys) <= set(ORDERING_KEYS)
    assert len(ranking_disclosure().search_order) == len(search_keys)
    assert f"{NEAR_RADIUS_KM} km" in ranking_disclosure().near_me[0]
    with pytest.raises(UndisclosedRankingParameter):
        describe_ordering(["secret_boost"])
