"""Transfer steps at the service level: who may do which step, and a reserve & collect by
transfer whose hold time starts when the goods reach the pickup store."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from checkout.services import CheckoutLine, CustomerDetails, place_order
from fulfillment.models import Fulfilment
from fulfillment.services import accept_fulfilment, mark_picked, mark_ready_for_pickup
from fulfillment.transfers import receive_transfer, ship_transfer
from network_marketplace.errors import IllegalTransition
from orders.models import FulfilmentMethod, OrderPolicy, fulfilment_holder
from stores.models import Reservation, StockLevel
from stores.services import update_offer
from tests.factories import StoreFactory, VariantFactory

pytestmark = pytest.mark.django_db
LEA = CustomerDetails(email="lea@example.com", first_name="Léa", last_name="Martin")


@pytest.fixture
def transfer_setup(lyon_store):
    villeurbanne = StoreFactory(
        name="Ardoise Villeurbanne", slug="villeurbanne",
        latitude=Decimal("45.771900"), longitude=Decimal("4.890200"),
    )  # fmt: skip
    secateur = VariantFactory(sku="ARD-SEC-01", rrp_cents=2990)
    for store, units in ((lyon_store, 0), (villeurbanne, 3)):
        update_offer(store=store, variant=secateur, on_hand=units, source="system", actor="hq")
        StockLevel.objects.filter(store=store, variant=secateur).update(safety_stock=0)
    return lyon_store, villeurbanne, secateur


def order_at_lyon(transfer_setup, method) -> Fulfilment:
    lyon, _villeurbanne, secateur = transfer_setup
    order = place_order(
        customer=LEA, actor="test", payment_token="tok_visa",
        lines=[CheckoutLine(variant=secateur, quantity=1, method=method, store=lyon)],
    )  # fmt: skip
    return Fulfilment.objects.get(order=order)


def test_reserve_and_collect_by_transfer_holds_firmly_until_it_reaches_the_pickup_store(
    transfer_setup,
):
    lyon, villeurbanne, _secateur = transfer_setup
    # given a reserve & collect at Lyon served by Villeurbanne
    fulfilment = order_at_lyon(transfer_setup, FulfilmentMethod.RESERVE_COLLECT)
    [source_hold] = Reservation.objects.active().filter(holder=fulfilment_holder(fulfilment.pk))
    assert (source_hold.store, source_hold.kind, source_hold.expires_at) == (
        villeurbanne, Reservation.Kind.ORDER, None,
    )  # fmt: skip

    # when it is sent and received at Lyon
    accept_fulfilment(fulfilment=fulfilment, actor="test", at_store=villeurbanne)
    mark_picked(fulfilment=fulfilment, actor="test", at_store=villeurbanne)
    ship_transfer(fulfilment=fulfilment, actor="test", at_store=villeurbanne)
    before = timezone.now()
    receive_transfer(fulfilment=fulfilment, actor="test", at_store=lyon)

    # then Lyon holds it for the reserve time from now, and that is when it must be tried
    [pickup_hold] = Reservation.objects.active().filter(holder=fulfilment_holder(fulfilment.pk))
    assert (pickup_hold.store, pickup_hold.kind) == (lyon, Reservation.Kind.RESERVE_COLLECT)
    hours = timedelta(hours=OrderPolicy.current().reserve_hold_hours)
    assert before + hours <= pickup_hold.expires_at <= timezone.now() + hours
    ready = mark_ready_for_pickup(fulfilment=fulfilment, actor="test", at_store=lyon).fulfilment
    assert ready.collect_before == pickup_hold.expires_at


@pytest.mark.parametrize(
    ("step", "side"),
    [
        pytest.param(accept_fulfilment, "pickup", id="pickup-store-cannot-accept"),
        pytest.param(receive_transfer, "source", id="source-cannot-receive"),
    ],
)
def test_each_side_of_a_transfer_performs_only_its_own_steps(transfer_setup, step, side):
    lyon, villeurbanne, _secateur = transfer_setup
    fulfilment = order_at_lyon(transfer_setup, FulfilmentMethod.CLICK_COLLECT)
    if step is receive_transfer:
        for source_step in (accept_fulfilment, mark_picked, ship_transfer):
            source_step(fulfilment=fulfilment, actor="test", at_store=villeurbanne)

    with pytest.raises(IllegalTransition):
        step(
            fulfilment=fulfilment, actor="test", at_store=lyon if side == "pickup" else villeurbanne
        )


def test_a_transfer_cannot_be_made_ready_before_it_is_received(transfer_setup):
    lyon, villeurbanne, _secateur = transfer_setup
    fulfilment = order_at_lyon(transfer_setup, FulfilmentMethod.CLICK_COLLECT)
    accept_fulfilment(fulfilment=fulfilment, actor="test", at_store=villeurbanne)
    mark_picked(fulfilment=fulfilment, actor="test", at_store=villeurbanne)

    with pytest.raises(IllegalTransition):
        mark_ready_for_pickup(fulfilment=fulfilment, actor="test", at_store=lyon)
