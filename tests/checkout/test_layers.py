"""The checkout's seams with the apps below it: the hooks it and payments register, the one rule
of which location offers which service, the one line quantity cap, and the order's and its
fulfilments' moves through the transition helper when a checkout is given up."""

from __future__ import annotations

import pytest
from django.utils import translation

from checkout.services import (
    CheckoutInvalid,
    CheckoutLine,
    CustomerDetails,
    finish_order_payment,
    place_order,
)
from fulfillment.models import Fulfilment, FulfilmentEvent
from network_marketplace.models import AuditEvent
from orders import hooks as orders_hooks
from orders.models import MAX_LINE_QUANTITY, FulfilmentMethod, Order, OrderEvent
from payments import hooks as payments_hooks
from payments.services import PaymentDeclined, refund_payment
from stores.models import Store
from tests.api_clients import api_client
from tests.factories import StockLevelFactory, StoreFactory, VariantFactory

HOME, CLICK, RESERVE = (
    FulfilmentMethod.HOME_DELIVERY,
    FulfilmentMethod.CLICK_COLLECT,
    FulfilmentMethod.RESERVE_COLLECT,
)
LEA = CustomerDetails(email="lea@example.com", first_name="Léa", last_name="Martin")


def test_the_higher_apps_register_the_hooks_the_lower_ones_call():
    assert orders_hooks.refund_order.call is refund_payment
    assert payments_hooks.order_payment_settled.call is finish_order_payment


@pytest.mark.parametrize(
    ("kind", "flags", "offered"),
    [
        (Store.Kind.FRANCHISE, {}, {HOME, CLICK, RESERVE}),
        (Store.Kind.FRANCHISE, {"offers_click_collect": False}, {HOME, RESERVE}),
        (Store.Kind.FRANCHISE, {"offers_ship_from_store": False}, {CLICK, RESERVE}),
        (Store.Kind.WAREHOUSE, {}, {HOME}),
    ],
    ids=["store-every-service", "store-without-collect", "store-not-shipping", "warehouse"],
)
def test_which_location_offers_which_service(db, kind, flags, offered):
    location = StoreFactory(kind=kind, **flags)

    assert {method for method in FulfilmentMethod.values if location.offers(method)} == offered


def test_a_warehouse_is_never_a_pickup_store(db):
    warehouse = StoreFactory(kind=Store.Kind.WAREHOUSE)
    variant = VariantFactory()
    StockLevelFactory(store=warehouse, variant=variant, on_hand=5)

    with translation.override("en"), pytest.raises(CheckoutInvalid) as refused:
        place_order(customer=LEA, lines=[CheckoutLine(variant, 1, CLICK, warehouse)], actor=None)

    assert refused.value.facts["lines"] == f"{warehouse.name} does not offer click & collect."
    assert not Order.objects.exists()


def test_the_api_refuses_more_than_the_line_quantity_cap(db, lyon_store, hq_key):
    variant = VariantFactory(sku="ARD-SEC-01")
    StockLevelFactory(store=lyon_store, variant=variant, on_hand=500)
    line = {"sku": "ARD-SEC-01", "method": CLICK, "store": lyon_store.slug}

    too_many = api_client(key=hq_key).post(
        "/api/v1/checkout/quote/",
        {"lines": [{**line, "quantity": MAX_LINE_QUANTITY + 1}]},
        format="json",
    )
    at_the_cap = api_client(key=hq_key).post(
        "/api/v1/checkout/quote/",
        {"lines": [{**line, "quantity": MAX_LINE_QUANTITY}]},
        format="json",
    )

    assert too_many.status_code == 400
    assert "quantity" in too_many.json()["fields"]["lines"]["0"]
    assert at_the_cap.status_code == 200


def test_a_declined_checkout_moves_the_order_and_its_fulfilments_through_their_lifecycles(
    lyon_store,
):
    variant = VariantFactory()
    StockLevelFactory(store=lyon_store, variant=variant, on_hand=2)

    with pytest.raises(PaymentDeclined):
        place_order(
            customer=LEA,
            lines=[CheckoutLine(variant, 1, CLICK, lyon_store)],
            actor="storefront",
            payment_token="tok_decline",
        )

    order = Order.objects.get()
    fulfilment = Fulfilment.objects.get(order=order)
    assert order.status == Order.Status.CANCELLED
    assert (fulfilment.status, fulfilment.closed_at is not None) == (
        Fulfilment.Status.CANCELLED,
        True,
    )
    assert list(OrderEvent.objects.filter(order=order).values_list("from_status", "to_status")) == [
        ("", Order.Status.PENDING_PAYMENT),
        (Order.Status.PENDING_PAYMENT, Order.Status.CANCELLED),
    ]
    assert FulfilmentEvent.objects.filter(
        fulfilment=fulfilment, to_status=Fulfilment.Status.CANCELLED
    ).exists()
    assert AuditEvent.objects.filter(action="order.cancelled").exists()
