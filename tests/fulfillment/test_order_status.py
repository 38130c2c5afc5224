"""An order's status follows its fulfilments: in progress at the first acceptance, completed
when every fulfilment ended with at least one sale, cancelled when every line is cancelled."""

from __future__ import annotations

from fulfillment.models import Fulfilment
from fulfillment.services import (
    accept_fulfilment,
    cancel_fulfilment,
    hand_over,
    mark_picked,
    mark_ready_for_pickup,
    record_reserve_outcome,
    ship_fulfilment,
)
from network_marketplace.models import WebhookDelivery
from network_marketplace.webhooks import create_endpoint
from orders.models import Order
from tests.fulfillment.conftest import (
    click_and_collect,
    home,
    order_for,
    reserve_and_collect,
)

S = Order.Status


def collect(fulfilment, actor="store"):
    accept_fulfilment(fulfilment=fulfilment, actor=actor)
    mark_picked(fulfilment=fulfilment, actor=actor)
    code = mark_ready_for_pickup(fulfilment=fulfilment, actor=actor).pickup_code
    return hand_over(fulfilment=fulfilment, code=code, actor=actor)


def ship(fulfilment, actor="wms"):
    accept_fulfilment(fulfilment=fulfilment, actor=actor)
    mark_picked(fulfilment=fulfilment, actor=actor)
    return ship_fulfilment(
        fulfilment=fulfilment, carrier="Colissimo", tracking_number="6A1", actor=actor
    )


def statuses(order):
    return list(order.events.values_list("from_status", "to_status"))


def test_the_first_acceptance_puts_the_order_in_progress_once(network, hq_admin):
    create_endpoint(
        store=None, url="https://bi.example.com/hooks", event_types=["order.updated"],
        description="BI", actor=hq_admin,
    )  # fmt: skip
    order = order_for(click_and_collect(network.secateur, network.lyon), home(network.secateur))
    first, second = order.fulfilments.order_by("pk")

    accept_fulfilment(fulfilment=first, actor="store")
    accept_fulfilment(fulfilment=second, actor="wms")

    order.refresh_from_db()
    assert order.status == S.IN_PROGRESS
    assert statuses(order)[-1] == (S.PLACED, S.IN_PROGRESS)
    assert order.events.filter(to_status=S.IN_PROGRESS).count() == 1
    hook = WebhookDelivery.objects.get(event_type="order.updated")
    assert hook.message.payload["event"]["data"] == {
        "order": order.number, "status": "in_progress", "previous_status": "placed",
    }  # fmt: skip


def test_the_order_is_completed_only_when_every_fulfilment_has_ended(network, hq_admin):
    create_endpoint(
        store=None, url="https://bi.example.com/hooks", event_types=["order.completed"],
        description="BI", actor=hq_admin,
    )  # fmt: skip
    order = order_for(click_and_collect(network.secateur, network.lyon), home(network.secateur))
    pickup = order.fulfilments.get(store=network.lyon)
    parcel = order.fulfilments.get(store=network.warehouse)

    collect(pickup)
    order.refresh_from_db()
    assert order.status == S.IN_PROGRESS  # the parcel is still open

    ship(parcel)
    order.refresh_from_db()
    assert order.status == S.COMPLETED
    assert statuses(order)[-2:] == [(S.PLACED, S.IN_PROGRESS), (S.IN_PROGRESS, S.COMPLETED)]
    assert WebhookDelivery.objects.filter(event_type="order.completed").count() == 1


def test_an_order_partly_cancelled_and_partly_collected_is_completed(network):
    order = order_for(click_and_collect(network.secateur, network.lyon), home(network.secateur))
    collect(order.fulfilments.get(store=network.lyon))

    cancel_fulfilment(
        fulfilment=order.fulfilments.get(store=network.warehouse), actor="hq", reason="Erreur"
    )

    order.refresh_from_db()
    assert order.status == S.COMPLETED
    assert order.lines.get(method="home_delivery").cancelled_quantity == 1


def test_the_order_is_cancelled_when_every_line_is(network, hq_admin):
    create_endpoint(
        store=None, url="https://bi.example.com/hooks", event_types=["order.cancelled"],
        description="BI", actor=hq_admin,
    )  # fmt: skip
    order = order_for(click_and_collect(network.secateur, network.lyon))
    fulfilment = order.fulfilments.get()
    accept_fulfilment(fulfilment=fulfilment, actor="store")

    cancel_fulfilment(fulfilment=fulfilment, actor="store", reason="Produit abîmé")

    order.refresh_from_db()
    assert order.status == S.CANCELLED
    assert statuses(order)[-1] == (S.IN_PROGRESS, S.CANCELLED)
    assert WebhookDelivery.objects.filter(event_type="order.cancelled").count() == 1


def test_a_reservation_bought_in_store_completes_the_order_and_one_not_bought_cancels_it(
    network,
):
    bought = order_for(reserve_and_collect(network.secateur, network.lyon))
    declined = order_for(reserve_and_collect(network.secateur, network.lyon))
    for order, purchased in ((bought, True), (declined, False)):
        fulfilment = order.fulfilments.get()
        accept_fulfilment(fulfilment=fulfilment, actor="store")
        mark_picked(fulfilment=fulfilment, actor="store")
        mark_ready_for_pickup(fulfilment=fulfilment, actor="store")
        record_reserve_outcome(fulfilment=fulfilment, purchased=purchased, actor="store")

    bought.refresh_from_db()
    declined.refresh_from_db()
    assert (bought.status, declined.status) == (S.COMPLETED, S.CANCELLED)
    assert declined.fulfilments.get().status == Fulfilment.Status.NOT_PURCHASED


def test_a_step_repeated_writes_no_second_order_event(network):
    order = order_for(click_and_collect(network.secateur, network.lyon))
    fulfilment = order.fulfilments.get()

    accept_fulfilment(fulfilment=fulfilment, actor="store")
    accept_fulfilment(fulfilment=fulfilment, actor="store")
    mark_picked(fulfilment=fulfilment, actor="store")

    assert order.events.filter(to_status=S.IN_PROGRESS).count() == 1
