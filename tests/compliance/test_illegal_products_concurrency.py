"""The illegal-product job run twice at the same moment (threads, each with its PostgreSQL
connection): each buyer is recorded and e-mailed once."""

from __future__ import annotations

import pytest

from compliance.models import IllegalProductBuyer
from compliance.services.illegal_products import (
    confirm_illegal_product,
    notify_illegal_product_buyers,
)
from network_marketplace.models import OutboxMessage
from tests.factories import StockLevelFactory

from .test_illegal_products import GROUND, ILLEGALITY, sale
from .test_traders_concurrency import run_concurrently

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_runs_at_once_tell_each_buyer_once(lyon_store, hq_admin):
    charger = StockLevelFactory(store=lyon_store, variant__product__name="Chargeur X").variant
    for n in range(12):
        sale(charger, lyon_store, email=f"buyer{n}@example.com")
    case = confirm_illegal_product(
        product=charger.product, illegality=ILLEGALITY, legal_ground=GROUND, actor=hq_admin
    )

    outcomes = run_concurrently(3, lambda index: notify_illegal_product_buyers(case=case))

    assert sum(outcomes) == 12, outcomes
    assert IllegalProductBuyer.objects.count() == 12
    sent = OutboxMessage.objects.filter(payload__template="compliance/illegal_product")
    assert sent.count() == 12
