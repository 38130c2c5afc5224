"""Which items a store may order (audience, ordering window, campaign) and the price tiers: the
catalogue a store sees, and the quantities its cart accepts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from marketing_hub.models import MarketingItem
from marketing_hub.selectors.catalogue import (
    QuantityNotInTiers,
    campaigns_with_items,
    orderable_items,
    tier_for,
)
from stores.models import Store

from ..factories import StoreFactory
from .catalogue_helpers import make_campaign, make_item


def names(store, **filters) -> list[str]:
    return sorted(item.name for item in orderable_items(store=store, **filters))


@pytest.fixture
def branch(db):
    return StoreFactory(name="Ardoise Villeurbanne", kind=Store.Kind.BRANCH)


def test_the_audience_decides_who_may_order(lyon_store, branch):
    make_item(name="Pour tous")
    make_item(name="Franchises seulement", for_branches=False)
    make_item(name="Succursales seulement", for_franchises=False)
    make_item(name="Liste", for_franchises=False, for_branches=False, for_stores=[branch])

    assert names(lyon_store) == ["Franchises seulement", "Pour tous"]
    assert names(branch) == ["Liste", "Pour tous", "Succursales seulement"]


def test_inactive_items_and_items_outside_their_window_are_not_offered(lyon_store):
    today = timezone.localdate()
    make_item(name="Ouvert")
    make_item(name="Désactivé", is_active=False)
    make_item(name="Pas encore", orderable_from=today + timedelta(days=3))
    make_item(name="Terminé", orderable_until=today - timedelta(days=1))
    make_item(name="Dernier jour", orderable_until=today)

    assert names(lyon_store) == ["Dernier jour", "Ouvert"]


def test_a_campaign_item_is_ordered_ahead_of_the_campaign_never_after(lyon_store):
    coming = make_campaign(name="Noël", slug="noel", days=(30, 60))
    over = make_campaign(name="Soldes", slug="soldes", days=(-60, -1))
    make_item(name="Affiche Noël", campaign=coming)
    make_item(name="Affiche soldes", campaign=over)

    assert names(lyon_store) == ["Affiche Noël"]
    assert campaigns_with_items(store=lyon_store) == [(coming.pk, "Noël")]


def test_the_catalogue_filters_by_campaign_and_kind(lyon_store):
    spring = make_campaign()
    make_item(name="Flyer printemps", campaign=spring)
    make_item(name="Tote bag printemps", campaign=spring, kind=MarketingItem.Kind.GOODIES)
    make_item(name="Flyer générique")

    assert names(lyon_store, campaign=spring.slug) == ["Flyer printemps", "Tote bag printemps"]
    assert names(lyon_store, campaign=str(spring.pk), kind="goodies") == ["Tote bag printemps"]
    assert names(lyon_store, kind="print") == ["Flyer générique", "Flyer printemps"]


def test_the_listing_shows_the_cheapest_tier(lyon_store, django_assert_max_num_queries):
    for index in range(5):
        make_item(name=f"Flyer {index}", tiers=((250, 3900 + index), (1000, 8900)))

    with django_assert_max_num_queries(4):
        items = list(orderable_items(store=lyon_store))
        assert [item.price_from_cents for item in items] == [3900, 3901, 3902, 3903, 3904]
        assert [len(item.tiers.all()) for item in items] == [2] * 5


def test_a_quantity_of_a_tier_gets_its_price(db):
    item = make_item()

    assert tier_for(item, 1000).price_cents == 8900


@pytest.mark.parametrize(
    "quantity", [0, 300, 999, 1_000_000], ids=["zero", "between", "below", "above"]
)
def test_a_quantity_outside_the_tiers_is_refused_with_the_quantities_offered(db, quantity):
    item = make_item(name="Flyer A5")

    with pytest.raises(QuantityNotInTiers) as refused:
        tier_for(item, quantity)

    assert "n'est pas une quantité proposée pour Flyer A5" in refused.value.message
    assert "250, 1 000, 5 000" in refused.value.message.replace("\u202f", " ").replace("\xa0", " ")
