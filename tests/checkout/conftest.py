"""The network the order API tests order from (`api_network`): Lyon sells the sécateur at its
own price, the central warehouse ships the watering can; the customer lives in 69002."""

from __future__ import annotations

from decimal import Decimal

import pytest

from stores.models import PostalCode, Store
from tests.factories import ProductFactory, StockLevelFactory, StoreFactory, VariantFactory


@pytest.fixture
def secateur(db):
    product = ProductFactory(name="Sécateur Ardoise", vat_rate="standard")
    return VariantFactory(product=product, sku="ARD-SEC-01", rrp_cents=2990)


@pytest.fixture
def watering_can(db):
    product = ProductFactory(name="Arrosoir 10 L", vat_rate="standard")
    return VariantFactory(
        product=product, sku="ARD-ARR-10", rrp_cents=1200, options={"couleur": "Vert"}
    )


@pytest.fixture
def warehouse(db):
    return StoreFactory(
        name="Entrepôt central", slug="entrepot-central", kind=Store.Kind.WAREHOUSE,
        city="Saint-Quentin-Fallavier", latitude=Decimal("45.6436"), longitude=Decimal("5.1106"),
    )  # fmt: skip


@pytest.fixture
def api_network(lyon_store, warehouse, secateur, watering_can):
    PostalCode.objects.create(code="69002", city="Lyon", latitude=45.7550, longitude=4.8290)
    return {
        "lyon_secateur": StockLevelFactory(
            store=lyon_store, variant=secateur, on_hand=5, price_cents=2790
        ),
        "warehouse_can": StockLevelFactory(store=warehouse, variant=watering_can, on_hand=50),
    }
