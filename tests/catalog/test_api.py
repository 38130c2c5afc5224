"""The read-only catalogue API: published products for everyone authenticated, drafts for HQ,
filters, search, variants with the price bounds that apply."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from catalog.models import Product
from stores.services import issue_api_key

from .factories import CategoryFactory, ProductFactory, VariantFactory, ean13

pytestmark = pytest.mark.django_db


def api(user=None, secret: str | None = None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    if secret:
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")
    return client


@pytest.fixture
def catalogue(db):
    garden = CategoryFactory(
        name="Jardin",
        slug="jardin",
        min_price_percent=Decimal("80"),
        max_price_percent=Decimal("120"),
    )
    tools = CategoryFactory(name="Outils", slug="outils", parent=garden)
    pets = CategoryFactory(name="Animalerie", slug="animalerie")
    spade = ProductFactory(name="Bêche inox", slug="beche", brand="Fiskars", category=tools)
    VariantFactory(product=spade, sku="BEC-S", gtin=ean13(1), options={"size": "S"}, rrp_cents=2990)
    VariantFactory(
        product=spade,
        sku="BEC-L",
        gtin=ean13(2),
        options={"size": "L"},
        rrp_cents=3250,
        min_price_cents=3000,
        max_price_cents=3500,
    )
    VariantFactory(product=spade, sku="BEC-OLD", is_active=False, rrp_cents=100)
    kennel = ProductFactory(name="Niche", slug="niche", brand="Zolux", category=pets)
    VariantFactory(product=kennel, sku="NIC-1", rrp_cents=8900)
    draft = ProductFactory(
        name="Tondeuse", slug="tondeuse", category=garden, status=Product.Status.DRAFT
    )
    VariantFactory(product=draft, sku="TON-1")
    return {"garden": garden, "tools": tools, "spade": spade, "draft": draft}


def slugs(response) -> list[str]:
    return [product["slug"] for product in response.json()["results"]]


def test_unauthenticated_request_is_refused_with_401(catalogue):
    client = APIClient()

    assert client.get("/api/v1/products/").status_code == 401
    assert client.get("/api/v1/products/beche/").status_code == 401
    assert client.get("/api/v1/variants/").status_code == 401


def test_store_user_sees_only_published_products(catalogue, lyon_owner):
    client = api(lyon_owner)

    listing = client.get("/api/v1/products/")
    drafts = client.get("/api/v1/products/", {"status": "draft"})
    draft_detail = client.get("/api/v1/products/tondeuse/")

    assert listing.status_code == 200
    assert slugs(listing) == ["beche", "niche"]
    assert slugs(drafts) == []
    assert draft_detail.status_code == 404


def test_hq_sees_drafts_when_asking_for_them(catalogue, hq_admin):
    client = api(hq_admin)

    assert slugs(client.get("/api/v1/products/")) == ["beche", "niche"]
    assert slugs(client.get("/api/v1/products/", {"status": "draft"})) == ["tondeuse"]
    assert client.get("/api/v1/products/tondeuse/").status_code == 200


def test_hq_api_key_sees_drafts_and_store_key_does_not(catalogue, lyon_store, hq_admin):
    hq_key = issue_api_key(store=None, name="PIM", actor=hq_admin)
    store_key = issue_api_key(store=lyon_store, name="Till", actor=hq_admin)

    assert slugs(api(secret=hq_key.secret).get("/api/v1/products/?status=draft")) == ["tondeuse"]
    assert slugs(api(secret=store_key.secret).get("/api/v1/products/?status=draft")) == []


def test_category_filter_includes_subcategories(catalogue, customer):
    client = api(customer)

    assert slugs(client.get("/api/v1/products/", {"category": "jardin"})) == ["beche"]
    assert slugs(client.get("/api/v1/products/", {"category": "outils"})) == ["beche"]
    assert slugs(client.get("/api/v1/products/", {"category": "animalerie"})) == ["niche"]


def test_unknown_category_is_a_400_with_the_field(catalogue, customer):
    response = api(customer).get("/api/v1/products/", {"category": "nowhere"})

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "category" in response.json()["fields"]


def test_brand_filter_and_search_by_name_brand_sku_gtin(catalogue, customer):
    client = api(customer)

    assert slugs(client.get("/api/v1/products/", {"brand": "fiskars"})) == ["beche"]
    assert slugs(client.get("/api/v1/products/", {"q": "bêche"})) == ["beche"]
    assert slugs(client.get("/api/v1/products/", {"q": "zolux"})) == ["niche"]
    assert slugs(client.get("/api/v1/products/", {"q": "BEC-L"})) == ["beche"]
    assert slugs(client.get("/api/v1/products/", {"q": ean13(2)})) == ["beche"]
    assert slugs(client.get("/api/v1/products/", {"q": "nothing-like-it"})) == []


def test_product_list_is_paginated_with_active_variant_summary(catalogue, customer):
    response = api(customer).get("/api/v1/products/", {"page_size": 1})

    body = response.json()
    assert body["count"] == 2
    assert body["next"]
    first = body["results"][0]
    assert first["category"] == {"slug": "outils", "name": "Outils"}
    assert first["variant_count"] == 2
    assert first["rrp_from_cents"] == 2990


def test_product_detail_lists_variants_with_the_bounds_that_apply(catalogue, customer):
    response = api(customer).get("/api/v1/products/beche/")

    assert response.status_code == 200
    body = response.json()
    assert body["vat_percent"] == "20.0"
    variants = {variant["sku"]: variant for variant in body["variants"]}
    assert set(variants) == {"BEC-S", "BEC-L"}  # the inactive one is not for sale
    small = variants["BEC-S"]
    assert small["gtin"] == ean13(1)
    assert small["options"] == {"size": "S"}
    assert small["rrp_cents"] == 2990
    # The category's percent bounds, inherited from Jardin: 80 % and 120 % of 29,90 €
    assert (small["min_price_cents"], small["max_price_cents"]) == (2392, 3588)
    # The variant's own bounds win
    assert (variants["BEC-L"]["min_price_cents"], variants["BEC-L"]["max_price_cents"]) == (
        3000,
        3500,
    )


def test_product_list_and_detail_take_a_bounded_number_of_queries(
    catalogue, customer, django_assert_max_num_queries
):
    for n in range(30):
        product = ProductFactory(category=catalogue["tools"])
        VariantFactory(product=product, sku=f"X-{n}-A")
        VariantFactory(product=product, sku=f"X-{n}-B")
    client = api(customer)

    # A cold cache: HQ's storefront policy is read once (catalog.cache keeps the page then).
    with django_assert_max_num_queries(5):
        listing = client.get("/api/v1/products/", {"category": "jardin", "page_size": 100})
    with django_assert_max_num_queries(6):
        detail = client.get("/api/v1/products/beche/")

    assert listing.json()["count"] == 31
    assert detail.status_code == 200


def test_variants_filter_by_sku_gtin_and_product(catalogue, customer):
    client = api(customer)

    by_sku = client.get("/api/v1/variants/", {"sku": "BEC-S"}).json()["results"]
    by_gtin = client.get("/api/v1/variants/", {"gtin": ean13(2)}).json()["results"]
    by_product = client.get("/api/v1/variants/", {"product": "beche"}).json()["results"]

    assert [variant["sku"] for variant in by_sku] == ["BEC-S"]
    assert by_sku[0]["product"] == "beche"
    assert (by_sku[0]["min_price_cents"], by_sku[0]["max_price_cents"]) == (2392, 3588)
    assert [variant["sku"] for variant in by_gtin] == ["BEC-L"]
    assert [variant["sku"] for variant in by_product] == ["BEC-L", "BEC-S"]


def test_variants_outside_hq_are_active_and_published_only(catalogue, customer, hq_admin):
    customer_skus = [v["sku"] for v in api(customer).get("/api/v1/variants/").json()["results"]]
    hq_skus = [v["sku"] for v in api(hq_admin).get("/api/v1/variants/").json()["results"]]

    assert customer_skus == ["BEC-L", "BEC-S", "NIC-1"]
    assert hq_skus == ["BEC-L", "BEC-OLD", "BEC-S", "NIC-1", "TON-1"]
    assert api(customer).get("/api/v1/variants/TON-1/").status_code == 404
    assert api(hq_admin).get("/api/v1/variants/TON-1/").status_code == 200


def test_variant_list_takes_a_bounded_number_of_queries(
    catalogue, customer, django_assert_max_num_queries
):
    for _ in range(40):
        VariantFactory(product=catalogue["spade"])

    with django_assert_max_num_queries(4):
        response = api(customer).get("/api/v1/variants/", {"page_size": 100})

    assert response.json()["count"] == 43


def test_schema_documents_the_catalogue_endpoints(client, db):
    from drf_spectacular.validation import validate_schema

    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    validate_schema(schema)
    assert "/api/v1/products/" in schema["paths"]
    assert "/api/v1/products/{slug}/" in schema["paths"]
    assert "/api/v1/variants/{sku}/" in schema["paths"]
    parameters = {p["name"] for p in schema["paths"]["/api/v1/products/"]["get"]["parameters"]}
    assert {"category", "brand", "q", "status", "page", "page_size"} <= parameters
