"""The benchmark's generator, at a tiny size, so it keeps working as the models move on."""

from __future__ import annotations

import pytest
from django.db import connection

from bench.generate import load, stock_table_structures
from catalog.models import Product, Variant
from catalog.validators import validate_gtin
from stores.models import StockLevel, Store
from stores.selectors import network_availability, stores_with_variant_near

pytestmark = pytest.mark.django_db


def _generate(**sizes):
    connection.ensure_connection()
    load(connection.connection, seed=1, out=lambda _text: None, **sizes)


def _structures():
    with connection.connection.cursor() as cursor:
        return stock_table_structures(cursor)


def test_generator_writes_stores_catalogue_and_one_stock_row_per_store_and_variant():
    _generate(stores=3, variants=50, warehouse_variants=60)

    assert Store.objects.count() == 4
    assert Store.objects.filter(kind=Store.Kind.WAREHOUSE).count() == 1
    assert Variant.objects.count() == 60
    assert Product.objects.count() == 15
    assert StockLevel.objects.count() == 3 * 50 + 60
    assert StockLevel.objects.filter(store__kind=Store.Kind.WAREHOUSE).count() == 60
    for gtin in Variant.objects.values_list("gtin", flat=True):
        validate_gtin(gtin)


def test_generated_stock_respects_the_stock_rules():
    _generate(stores=3, variants=50, warehouse_variants=60)

    for level in StockLevel.objects.select_related("store"):
        expected_safety = level.store.safety_stock_override
        assert level.safety_stock == (1 if expected_safety is None else expected_safety)
        assert level.available == max(level.on_hand - level.reserved - level.safety_stock, 0)
        assert level.on_hand <= (500 if level.store.kind == Store.Kind.WAREHOUSE else 30)


def test_generator_rebuilds_the_stock_tables_keys_and_indexes():
    before = _structures()

    _generate(stores=2, variants=8, warehouse_variants=8)

    assert _structures() == before


def test_generated_network_answers_the_availability_selectors():
    _generate(stores=3, variants=50, warehouse_variants=60)
    level = (
        StockLevel.objects.filter(available__gt=0, store__status=Store.Status.ACTIVE)
        .exclude(store__kind=Store.Kind.WAREHOUSE)
        .select_related("store")
        .first()
    )

    offers = stores_with_variant_near(
        variant_id=level.variant_id,
        latitude=float(level.store.latitude),
        longitude=float(level.store.longitude),
    )
    availability = network_availability([level.variant_id])[level.variant_id]

    assert level.store in [offer.store for offer in offers]
    assert availability.store_count >= 1
    assert availability.warehouse_available >= 0
