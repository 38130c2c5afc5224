"""The promise of each part of a basket, in French words that agree with their count: "1 jour",
"2 jours", never "1 jours"."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.utils import translation

from checkout.selectors import cart_summary, promise_for
from checkout.services import add_to_cart, get_or_create_cart
from orders.models import FulfilmentMethod, OrderPolicy
from stores.opening_hours import STORE_TIME_ZONE

from .storefront_setup import build_world

pytestmark = pytest.mark.django_db
# A Tuesday morning, the store open.
TUESDAY = datetime(2026, 12, 1, 9, 0, tzinfo=STORE_TIME_ZONE)


@pytest.fixture
def world():
    return build_world()


def promise_in_french(world, method, policy):
    cart = get_or_create_cart()
    store = None if method == FulfilmentMethod.HOME_DELIVERY else world.bellecour
    add_to_cart(cart=cart, variant=world.secateur, quantity=1, method=method, store=store)
    (group,) = cart_summary(cart).groups
    with translation.override("fr"):
        return promise_for(group, policy=policy, now=TUESDAY).text


@pytest.mark.parametrize(
    ("days", "french"),
    [(1, "Livré sous 1 jour, d'ici le"), (2, "Livré sous 2 jours, d'ici le")],
    ids=["one-day", "two-days"],
)
def test_home_delivery_promises_its_days_in_agreeing_words(world, days, french):
    policy = OrderPolicy.current()
    policy.warehouse_delivery_days = policy.store_delivery_days = days

    text = promise_in_french(world, FulfilmentMethod.HOME_DELIVERY, policy)

    assert text.startswith(french)


@pytest.mark.parametrize(
    ("days", "french"),
    [(1, "Conservé 1 jour\u00a0; nous"), (2, "Conservé 2 jours\u00a0; nous")],
    ids=["one-day", "two-days"],
)
def test_click_and_collect_keeps_the_order_for_days_in_agreeing_words(world, days, french):
    policy = OrderPolicy.current()
    policy.collect_within_days = days

    text = promise_in_french(world, FulfilmentMethod.CLICK_COLLECT, policy)

    assert french in text


@pytest.mark.parametrize(
    ("hours", "french"),
    [(1, "vous le garde 1 heure. Rien"), (2, "vous le garde 2 heures. Rien")],
    ids=["one-hour", "two-hours"],
)
def test_reserve_and_collect_holds_for_hours_in_agreeing_words(world, hours, french):
    policy = OrderPolicy.current()
    policy.reserve_hold_hours = hours

    text = promise_in_french(world, FulfilmentMethod.RESERVE_COLLECT, policy)

    assert french in text
    assert "maintenant\u00a0: vous payez" in text
