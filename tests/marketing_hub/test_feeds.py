"""The local inventory feed at its secret URL (/marketing/feeds/<secret>/local-inventory.tsv):
what Google Merchant Center fetches; anything but a live local ads subscription's current
secret is a 404."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from marketing_hub.services.deliverables import refresh_deliverables
from marketing_hub.services.subscriptions import (
    cancel_subscription,
    end_due_subscriptions,
    pause_subscription,
    rotate_feed_secret,
    subscribe,
)
from stores.models import StockLevel
from tests.factories import StockLevelFactory, VariantFactory

from .subscriptions_fixtures import make_plan, make_plans

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans(db):
    return make_plans()


def feed_url(secret: str) -> str:
    return f"/marketing/feeds/{secret}/local-inventory.tsv"


@pytest.fixture
def lyon_ads(lyon_store, plans):
    StockLevelFactory(
        store=lyon_store, variant=VariantFactory(sku="SEC-001"), on_hand=9, price_cents=3_490
    )
    return subscribe(
        store=lyon_store, plan=plans.local_ads, actor="test", today=timezone.localdate()
    )


def test_the_secret_url_serves_the_stores_local_inventory_without_a_login(client, lyon_ads):
    _subscription, secret = lyon_ads

    response = client.get(feed_url(secret))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/tab-separated-values")
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("store_code\tid\tgtin\tprice")
    assert lines[1].split("\t")[:2] == ["lyon-presquile", "SEC-001"]
    assert "34.90 EUR" in lines[1]


def test_the_feed_follows_the_stock_when_it_is_regenerated(client, lyon_ads):
    _subscription, secret = lyon_ads
    client.get(feed_url(secret))
    StockLevel.objects.filter(variant__sku="SEC-001").update(on_hand=0)

    refresh_deliverables()

    row = client.get(feed_url(secret)).content.decode().splitlines()[1].split("\t")
    assert row[4:6] == ["0", "out_of_stock"]


@pytest.mark.parametrize(
    "secret", ["unknown-secret-0123456789abcdef", "x", "a" * 150], ids=["unknown", "short", "long"]
)
def test_an_unknown_secret_is_a_404(client, lyon_ads, secret):
    assert client.get(feed_url(secret)).status_code == 404


def test_a_renewed_secret_retires_the_old_url(client, lyon_ads):
    subscription, old = lyon_ads

    new = rotate_feed_secret(subscription=subscription, actor="test")

    assert client.get(feed_url(old)).status_code == 404
    assert client.get(feed_url(new)).status_code == 200


def test_an_ended_or_paused_subscriptions_feed_is_a_404(client, plans, lyon_store, paris_store):
    today = timezone.localdate()
    ended, ended_secret = subscribe(
        store=lyon_store, plan=plans.local_ads, actor="test", today=date(2025, 1, 1)
    )
    cancel_subscription(subscription=ended, actor="test", today=date(2025, 6, 1))
    end_due_subscriptions(today=today)
    paused_plan = make_plan("annonces-flex", "local_ads", 5_000)  # no commitment: may pause
    paused, paused_secret = subscribe(
        store=paris_store, plan=paused_plan, actor="test", today=today
    )
    pause_subscription(subscription=paused, actor="test", today=today)

    assert client.get(feed_url(ended_secret)).status_code == 404
    assert client.get(feed_url(paused_secret)).status_code == 404


def test_only_a_local_ads_pack_has_a_feed(client, plans, lyon_store):
    _subscription, secret = subscribe(
        store=lyon_store, plan=plans.gbp_basic, actor="test", today=timezone.localdate()
    )

    assert client.get(feed_url(secret)).status_code == 404
