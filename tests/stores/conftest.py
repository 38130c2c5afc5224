"""Stock fixtures: a small garden catalogue with HQ's price bounds, stocked in Lyon and Paris,
and API keys for both stores and for HQ."""

from __future__ import annotations

from decimal import Decimal

import pytest

from stores.services import issue_api_key
from tests.factories import CategoryFactory, ProductFactory, StockLevelFactory, VariantFactory


@pytest.fixture
def garden_tools(db):
    """Stores may price between 90 % and 110 % of HQ's recommended price."""
    return CategoryFactory(
        name="Outils de jardin", min_price_percent=Decimal("90"), max_price_percent=Decimal("110")
    )


@pytest.fixture
def secateur(garden_tools):
    """RRP 29,90\xa0€: bounds 26,91\xa0€ to 32,89\xa0€."""
    product = ProductFactory(name="Sécateur Ardoise", category=garden_tools)
    return VariantFactory(product=product, sku="ARD-SEC-01", rrp_cents=2990)


@pytest.fixture
def watering_can(garden_tools):
    """RRP 12,00\xa0€: bounds 10,80\xa0€ to 13,20\xa0€."""
    product = ProductFactory(name="Arrosoir 10 L", category=garden_tools)
    return VariantFactory(
        product=product, sku="ARD-ARR-10", rrp_cents=1200, options={"couleur": "Vert"}
    )


@pytest.fixture
def lyon_stock(lyon_store, secateur, watering_can):
    return {
        "secateur": StockLevelFactory(store=lyon_store, variant=secateur, on_hand=8),
        "watering_can": StockLevelFactory(
            store=lyon_store, variant=watering_can, on_hand=0, price_cents=1250
        ),
    }


@pytest.fixture
def paris_stock(paris_store, secateur):
    return StockLevelFactory(store=paris_store, variant=secateur, on_hand=3)


@pytest.fixture
def lyon_api_key(lyon_store, lyon_owner):
    return issue_api_key(store=lyon_store, name="Caisse Lyon", actor=lyon_owner).secret


@pytest.fixture
def paris_api_key(paris_store, paris_owner):
    return issue_api_key(store=paris_store, name="Caisse Paris", actor=paris_owner).secret


@pytest.fixture
def hq_api_key(hq_admin):
    return issue_api_key(store=None, name="ERP siège", actor=hq_admin).secret
