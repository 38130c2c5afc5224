"""The money tests' network: three franchise stores (Lyon is the customer's local store), a
company-owned branch and the warehouse; HQ's plan takes 12 % and gives the catchment store a
quarter of it."""

from decimal import Decimal

import pytest

from payments.models import CommissionPlan
from stores.models import Store
from tests.factories import StockLevelFactory, StoreFactory, VariantFactory


@pytest.fixture(autouse=True)
def locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def plan(db):
    plan = CommissionPlan.current()
    plan.default_rate_percent = Decimal("12.00")
    plan.catchment_share_percent = Decimal("25.00")
    plan.fixed_fee_cents = 0
    plan.save()
    return plan


@pytest.fixture
def marseille_store(db):
    return StoreFactory(name="Ardoise Marseille Prado", slug="marseille-prado", city="Marseille")


@pytest.fixture
def villeurbanne_branch(db):
    return StoreFactory(name="Ardoise Villeurbanne", slug="villeurbanne", kind=Store.Kind.BRANCH)


@pytest.fixture
def warehouse(db):
    return StoreFactory(name="Entrepôt Ardoise", slug="entrepot", kind=Store.Kind.WAREHOUSE)


@pytest.fixture
def stocked(db):
    """A new variant at `price` with `on_hand` units in each of `stores`."""

    def make(*stores, price=2990, on_hand=10):
        variant = VariantFactory(rrp_cents=price)
        for store in stores:
            StockLevelFactory(store=store, variant=variant, on_hand=on_hand)
        return variant

    return make
