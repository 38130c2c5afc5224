from decimal import Decimal

import pytest

from stores.geo import distance_km
from stores.models import PostalCode, Store
from stores.selectors import (
    network_availability,
    postal_code_centroid,
    quantity_band,
    stores_near,
    stores_with_variant_near,
)
from tests.factories import StockLevelFactory, StoreFactory, VariantFactory

LYON_BELLECOUR = (45.7578, 4.8320)


def store_at(name, lat, lng, **extra):
    return StoreFactory(
        name=name, city=name, latitude=Decimal(str(lat)), longitude=Decimal(str(lng)), **extra
    )


@pytest.fixture
def rhone_network(db):
    """Stores around Lyon plus one in Paris, a warehouse and a closed store."""
    return {
        "villeurbanne": store_at("Villeurbanne", 45.7719, 4.8902),
        "vienne": store_at("Vienne", 45.5253, 4.8741),
        "saint-etienne": store_at("Saint-Étienne", 45.4397, 4.3872),
        "paris": store_at("Paris", 48.8532, 2.3691),
        "warehouse": store_at("Entrepôt", 45.6436, 5.1106, kind=Store.Kind.WAREHOUSE),
        "closed": store_at("Caluire", 45.7950, 4.8469, status=Store.Status.CLOSED),
    }


@pytest.fixture
def drill(db):
    return VariantFactory(rrp_cents=8990)


def test_haversine_lyon_paris_is_about_392_km():
    assert distance_km(45.7640, 4.8357, 48.8566, 2.3522) == pytest.approx(392, abs=2)


def test_stores_near_are_nearest_first_within_the_radius(rhone_network):
    found = stores_near(latitude=LYON_BELLECOUR[0], longitude=LYON_BELLECOUR[1], radius_km=40)

    assert [store.name for store in found] == ["Villeurbanne", "Vienne"]
    assert found[0].distance_km == pytest.approx(
        distance_km(*LYON_BELLECOUR, 45.7719, 4.8902), abs=0.01
    )


def test_nearby_offers_only_from_selling_stores_with_available_stock(rhone_network, drill):
    net = rhone_network
    StockLevelFactory(store=net["villeurbanne"], variant=drill, on_hand=2, safety_stock=2)
    StockLevelFactory(store=net["vienne"], variant=drill, on_hand=4, price_cents=8490)
    StockLevelFactory(store=net["saint-etienne"], variant=drill, on_hand=15)
    StockLevelFactory(store=net["warehouse"], variant=drill, on_hand=100)
    StockLevelFactory(store=net["closed"], variant=drill, on_hand=9)
    StockLevelFactory(store=net["paris"], variant=drill, on_hand=9)

    offers = stores_with_variant_near(
        variant_id=drill.pk, latitude=LYON_BELLECOUR[0], longitude=LYON_BELLECOUR[1], radius_km=60
    )

    assert [(o.store.name, o.available, o.price_cents, o.band) for o in offers] == [
        ("Vienne", 4, 8490, "limited"),
        ("Saint-Étienne", 15, 8990, "in_stock"),
    ]


def test_nearby_offers_are_limited_to_the_nearest(rhone_network, drill):
    for store in rhone_network.values():
        StockLevelFactory(store=store, variant=drill, on_hand=5)

    offers = stores_with_variant_near(
        variant_id=drill.pk, latitude=LYON_BELLECOUR[0], longitude=LYON_BELLECOUR[1],
        radius_km=100, limit=2,
    )  # fmt: skip

    assert [offer.store.name for offer in offers] == ["Villeurbanne", "Vienne"]


def test_network_availability_sums_active_locations(rhone_network, drill):
    other = VariantFactory()
    net = rhone_network
    StockLevelFactory(store=net["villeurbanne"], variant=drill, on_hand=3, price_cents=8000)
    StockLevelFactory(store=net["paris"], variant=drill, on_hand=5, reserved=1)
    StockLevelFactory(store=net["warehouse"], variant=drill, on_hand=40)
    StockLevelFactory(store=net["closed"], variant=drill, on_hand=10)

    availability = network_availability([drill.pk, other.pk])

    assert availability[drill.pk].store_count == 2
    assert availability[drill.pk].warehouse_available == 40
    assert (availability[drill.pk].min_price_cents, availability[drill.pk].max_price_cents) == (
        8000,
        8990,
    )
    assert not availability[other.pk].in_stock


@pytest.mark.parametrize(
    ("available", "band"),
    [(0, "out_of_stock"), (1, "last_units"), (2, "last_units"), (3, "limited"), (10, "in_stock")],
)
def test_customers_see_a_quantity_band_not_the_count(available, band):
    assert quantity_band(available)[0] == band


def test_postal_code_centroid_averages_the_towns_of_a_code(db):
    PostalCode.objects.create(code="69002", city="Lyon", latitude=45.75, longitude=4.83)
    PostalCode.objects.create(code="38200", city="Vienne", latitude=45.52, longitude=4.87)
    PostalCode.objects.create(code="38200", city="Jardin", latitude=45.50, longitude=4.91)

    assert postal_code_centroid("69002") == pytest.approx((45.75, 4.83))
    assert postal_code_centroid(" 38 200 ") == pytest.approx((45.51, 4.89))
    assert postal_code_centroid("00000") is None
    assert postal_code_centroid("") is None
