"""Near me: the stores near a point, and the stores near a point that have a SKU available."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from catalog.models import Product
from stores.models import PostalCode, Store
from tests.factories import StockLevelFactory, StoreFactory


def api(secret=None, user=None) -> APIClient:
    client = APIClient()
    if secret:
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")
    if user:
        client.force_login(user)
    return client


BELLECOUR = {"lat": "45.7578", "lng": "4.8320"}


@pytest.fixture
def villeurbanne_store(db):
    return StoreFactory(
        name="Ardoise Villeurbanne",
        slug="villeurbanne",
        postal_code="69100",
        city="Villeurbanne",
        latitude=Decimal("45.771900"),
        longitude=Decimal("4.890200"),
    )


@pytest.fixture
def lyon_area(lyon_store, paris_store, villeurbanne_store):
    """Two selling stores around Lyon, one in Paris, and around Lyon a warehouse and a
    suspended store that customers can't buy from."""
    StoreFactory(slug="entrepot-lyon", kind=Store.Kind.WAREHOUSE, latitude=Decimal("45.76"),
                 longitude=Decimal("4.84"))  # fmt: skip
    StoreFactory(slug="lyon-suspended", status=Store.Status.SUSPENDED)
    PostalCode.objects.create(
        code="69002", city="Lyon", latitude=Decimal("45.7485"), longitude=Decimal("4.8271")
    )
    return {"lyon": lyon_store, "villeurbanne": villeurbanne_store, "paris": paris_store}


def test_stores_near_a_point_nearest_first_with_distance(customer, lyon_area):
    response = api(user=customer).get("/api/v1/stores/near/", {**BELLECOUR, "radius_km": 20})

    assert response.status_code == 200
    body = response.json()
    assert [store["slug"] for store in body["results"]] == ["lyon-presquile", "villeurbanne"]
    assert body["results"][0]["distance_km"] == pytest.approx(0, abs=0.01)
    assert body["results"][1]["distance_km"] == pytest.approx(4.9, abs=0.3)
    assert (body["lat"], body["lng"], body["radius_km"]) == (45.7578, 4.832, 20)


def test_stores_near_a_postal_code(lyon_api_key, lyon_area):
    response = api(lyon_api_key).get("/api/v1/stores/near/", {"postal_code": "69002"})

    assert response.status_code == 200
    assert [store["slug"] for store in response.json()["results"]] == [
        "lyon-presquile",
        "villeurbanne",
    ]
    assert response.json()["lat"] == pytest.approx(45.7485)


def test_a_wide_radius_reaches_paris(customer, lyon_area):
    response = api(user=customer).get(
        "/api/v1/stores/near/", {**BELLECOUR, "radius_km": 200, "limit": 1}
    )

    assert [store["slug"] for store in response.json()["results"]] == ["lyon-presquile"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "postal_code"),
        ({"lat": "45.7"}, "lng"),
        ({"lng": "4.8"}, "lat"),
        ({"lat": "91", "lng": "4.8"}, "lat"),
        ({"lat": "north", "lng": "4.8"}, "lat"),
        ({**BELLECOUR, "radius_km": "0"}, "radius_km"),
        ({**BELLECOUR, "radius_km": "5000"}, "radius_km"),
        ({"postal_code": "99999"}, "postal_code"),
        ({"postal_code": "Lyon"}, "postal_code"),
    ],
    ids=[
        "nothing",
        "lat-alone",
        "lng-alone",
        "lat-out-of-range",
        "lat-not-a-number",
        "radius-zero",
        "radius-too-wide",
        "unknown-postal-code",
        "malformed-postal-code",
    ],
)
def test_near_rejects_bad_parameters_with_field_errors(customer, lyon_area, params, field):
    response = api(user=customer).get("/api/v1/stores/near/", params)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert field in response.json()["fields"]


def test_near_needs_an_authenticated_client(lyon_area):
    response = api().get("/api/v1/stores/near/", BELLECOUR)

    assert response.status_code == 401


# Availability --------------------------------------------------------------------------------


@pytest.fixture
def secateur_around_lyon(lyon_area, secateur):
    StockLevelFactory(store=lyon_area["lyon"], variant=secateur, on_hand=2, price_cents=2790)
    StockLevelFactory(store=lyon_area["villeurbanne"], variant=secateur, on_hand=25)
    StockLevelFactory(store=lyon_area["paris"], variant=secateur, on_hand=4)
    warehouse = Store.objects.get(slug="entrepot-lyon")
    StockLevelFactory(store=warehouse, variant=secateur, on_hand=500)
    return secateur


def test_availability_lists_nearby_stores_with_a_band_and_a_price(customer, secateur_around_lyon):
    response = api(user=customer).get(
        "/api/v1/availability/", {"sku": "ARD-SEC-01", **BELLECOUR, "radius_km": 30}
    )

    assert response.status_code == 200
    body = response.json()
    assert body["sku"] == "ARD-SEC-01"
    assert [
        (offer["store"]["slug"], offer["band"], offer["price_cents"]) for offer in body["results"]
    ] == [("lyon-presquile", "last_units", 2790), ("villeurbanne", "in_stock", 2990)]
    assert "available" not in body["results"][0]  # a band, never the store's exact count


def test_availability_skips_stores_without_available_stock(customer, lyon_area, secateur):
    StockLevelFactory(store=lyon_area["lyon"], variant=secateur, on_hand=2, reserved=2)

    response = api(user=customer).get(
        "/api/v1/availability/", {"sku": "ARD-SEC-01", "postal_code": "69002"}
    )

    assert response.json()["results"] == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        (BELLECOUR, "sku"),
        ({"sku": "ARD-NOPE", **BELLECOUR}, "sku"),
        ({"sku": "ARD-SEC-01"}, "postal_code"),
    ],
    ids=["no-sku", "unknown-sku", "no-point"],
)
def test_availability_rejects_bad_parameters(customer, secateur_around_lyon, params, field):
    response = api(user=customer).get("/api/v1/availability/", params)

    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_availability_of_an_unpublished_product_is_unknown(customer, secateur_around_lyon):
    Product.objects.filter(pk=secateur_around_lyon.product_id).update(status=Product.Status.DRAFT)

    response = api(user=customer).get("/api/v1/availability/", {"sku": "ARD-SEC-01", **BELLECOUR})

    assert response.status_code == 400


def test_availability_needs_an_authenticated_client(secateur_around_lyon):
    response = api().get("/api/v1/availability/", {"sku": "ARD-SEC-01", **BELLECOUR})

    assert response.status_code == 401
