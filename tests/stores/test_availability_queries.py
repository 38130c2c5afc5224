"""What customers see of the network's stock: availability per variant and the stores near them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from stores.models import Store
from stores.selectors import network_availability, product_availability, stores_with_variant_near
from tests.factories import ProductFactory, StockLevelFactory, StoreFactory, VariantFactory

LYON = (45.7578, 4.8320)


def _store(name, lat, lng, **extra):
    return StoreFactory(name=name, latitude=Decimal(f"{lat:.6f}"), longitude=Decimal(f"{lng:.6f}"),
                        **extra)  # fmt: skip


@pytest.fixture
def secateur(db):
    return VariantFactory(rrp_cents=2990)


@pytest.fixture
def network(db):
    return {
        "lyon": _store("Lyon", *LYON),
        "villeurbanne": _store("Villeurbanne", 45.7719, 4.8902),  # ~5 km
        "vienne": _store("Vienne", 45.5253, 4.8743),  # ~26 km
        "grenoble": _store("Grenoble", 45.1885, 5.7245),  # ~95 km
        "warehouse": _store("Entrepôt", 45.6436, 5.1106, kind=Store.Kind.WAREHOUSE),
        "closed": _store("Fermé", 45.7600, 4.8300, status=Store.Status.SUSPENDED),
    }


def test_network_availability_counts_selling_stores_and_the_warehouses_units(network, secateur):
    StockLevelFactory(store=network["lyon"], variant=secateur, on_hand=4)
    StockLevelFactory(store=network["vienne"], variant=secateur, on_hand=3, reserved=1)
    StockLevelFactory(store=network["grenoble"], variant=secateur, on_hand=2, safety_stock=2)
    StockLevelFactory(store=network["warehouse"], variant=secateur, on_hand=50)
    StockLevelFactory(store=network["closed"], variant=secateur, on_hand=9)

    availability = network_availability([secateur.pk])[secateur.pk]

    assert availability.store_count == 2
    assert availability.warehouse_available == 50
    assert availability.in_stock


def test_price_range_counts_stores_without_a_price_at_the_rrp(network, secateur):
    StockLevelFactory(store=network["lyon"], variant=secateur, price_cents=2790)
    StockLevelFactory(store=network["vienne"], variant=secateur, price_cents=None)
    StockLevelFactory(store=network["grenoble"], variant=secateur, price_cents=3190, on_hand=0)

    availability = network_availability([secateur.pk])[secateur.pk]

    assert (availability.min_price_cents, availability.max_price_cents) == (2790, 2990)


@pytest.mark.parametrize(
    ("prices", "expected"),
    [
        pytest.param([2500, 3100], (2500, 3100), id="all-store-prices"),
        pytest.param([None, None], (2990, 2990), id="all-at-rrp"),
        pytest.param([3100, None], (2990, 3100), id="rrp-is-the-low"),
    ],
)
def test_price_range_mixes_store_prices_and_rrp(network, secateur, prices, expected):
    for store, price in zip((network["lyon"], network["vienne"]), prices, strict=True):
        StockLevelFactory(store=store, variant=secateur, price_cents=price)

    availability = network_availability([secateur.pk])[secateur.pk]

    assert (availability.min_price_cents, availability.max_price_cents) == expected


def test_variant_without_available_stock_is_out_of_stock(network, secateur):
    StockLevelFactory(store=network["lyon"], variant=secateur, on_hand=1, reserved=1)

    availability = network_availability([secateur.pk])[secateur.pk]

    assert not availability.in_stock
    assert availability.store_count == 0
    assert availability.min_price_cents is None


def test_product_availability_covers_the_products_active_variants(network):
    product = ProductFactory()
    small, large = VariantFactory(product=product), VariantFactory(product=product)
    retired = VariantFactory(product=product, is_active=False)
    StockLevelFactory(store=network["lyon"], variant=small, on_hand=5)
    StockLevelFactory(store=network["lyon"], variant=retired, on_hand=5)

    availability = product_availability(product)

    assert set(availability) == {small.pk, large.pk}
    assert availability[small.pk].store_count == 1
    assert not availability[large.pk].in_stock


def test_stores_near_are_the_selling_stores_with_stock_within_the_radius_nearest_first(
    network, secateur
):
    for key in ("lyon", "villeurbanne", "vienne", "grenoble", "warehouse", "closed"):
        StockLevelFactory(store=network[key], variant=secateur, on_hand=5)

    offers = stores_with_variant_near(variant_id=secateur.pk, latitude=LYON[0], longitude=LYON[1])

    assert [offer.store.name for offer in offers] == ["Lyon", "Villeurbanne", "Vienne"]
    assert offers[0].distance_km == pytest.approx(0, abs=0.01)
    assert offers[1].distance_km == pytest.approx(5.0, abs=0.5)


def test_stores_near_skip_stores_without_available_stock_and_show_the_store_price(
    network, secateur
):
    StockLevelFactory(store=network["lyon"], variant=secateur, on_hand=2, reserved=2)
    StockLevelFactory(store=network["villeurbanne"], variant=secateur, on_hand=12, price_cents=2790)
    StockLevelFactory(store=network["vienne"], variant=secateur, on_hand=2)

    offers = stores_with_variant_near(variant_id=secateur.pk, latitude=LYON[0], longitude=LYON[1])

    assert [(o.store.name, o.price_cents, o.available, o.band) for o in offers] == [
        ("Villeurbanne", 2790, 12, "in_stock"),
        ("Vienne", 2990, 2, "last_units"),
    ]


def test_stores_near_stop_at_the_limit(network, secateur):
    for key in ("lyon", "villeurbanne", "vienne"):
        StockLevelFactory(store=network[key], variant=secateur, on_hand=5)

    offers = stores_with_variant_near(
        variant_id=secateur.pk, latitude=LYON[0], longitude=LYON[1], limit=2
    )

    assert [offer.store.name for offer in offers] == ["Lyon", "Villeurbanne"]


def test_stores_near_take_two_queries_however_many_offers(
    network, secateur, django_assert_num_queries
):
    for key in ("lyon", "villeurbanne", "vienne"):
        StockLevelFactory(store=network[key], variant=secateur, on_hand=5)

    with django_assert_num_queries(2):
        offers = stores_with_variant_near(
            variant_id=secateur.pk, latitude=LYON[0], longitude=LYON[1]
        )
        [offer.store.name for offer in offers]
