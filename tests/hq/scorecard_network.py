"""The scorecards' fixtures: a small Lyon network with no warehouse stock, so home deliveries go
to a store (the nearest scores best), orders placed and timed out through the real services,
and HQ's thresholds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from fulfillment.services import time_out_overdue_fulfilments
from hq.models import ScorecardSettings
from orders.models import OrderPolicy
from stores.models import PostalCode, Store
from tests.factories import StockLevelFactory, StoreFactory, VariantFactory
from tests.fulfillment.conftest import click_and_collect, home, order_for

PARIS = ZoneInfo("Europe/Paris")
MONDAY = datetime(2025, 3, 3, 10, 0, tzinfo=PARIS)


@dataclass
class LyonNetwork:
    lyon: Store  # nearest the customer (3 rue Mercière)
    villeurbanne: Store
    secateur: object

    def home_order(self):
        return order_for(home(self.secateur))

    def collect_order(self, store=None):
        return order_for(click_and_collect(self.secateur, store or self.lyon))


@pytest.fixture
def lyon_network(lyon_store, lyon_owner):
    PostalCode.objects.create(code="69002", city="Lyon", latitude=45.7550, longitude=4.8290)
    villeurbanne = StoreFactory(
        name="Ardoise Villeurbanne", slug="villeurbanne", city="Villeurbanne",
        latitude=Decimal("45.771900"), longitude=Decimal("4.890200"),
    )  # fmt: skip
    secateur = VariantFactory(rrp_cents=2990)
    for store in (lyon_store, villeurbanne):
        StockLevelFactory(store=store, variant=secateur, on_hand=50, price_cents=2990)
    policy = OrderPolicy.current()
    policy.accept_within_minutes = 60
    policy.save()
    return LyonNetwork(lyon_store, villeurbanne, secateur)


@pytest.fixture
def thresholds(db):
    """Warned from 2 timeouts in 28 days, out of home delivery from 3, for 7 days at least."""
    rules = ScorecardSettings.current()
    rules.timeouts_warning = 2
    rules.timeouts_suspension = 3
    rules.suspension_days = 7
    rules.period_days = 28
    rules.save()
    return rules


def let_time_out(network: LyonNetwork, count: int, traveller) -> None:
    """`count` click & collect orders at Lyon that nobody accepts: an hour and a half later the
    timeout job runs (the real one)."""
    for _index in range(count):
        network.collect_order()
    traveller.shift(5400)
    time_out_overdue_fulfilments()
