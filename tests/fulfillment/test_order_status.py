"""An order's status follows its fulfilments: in progress at the first acceptance, completed
when every fulfilment ended with at least one sale, cancelled when every line is cancelled."""

from __future__ import annotations

from django.db import transaction

from checkout.services import CheckoutLine, place_order
from fulfillment.models import Fulfilment
from fulfillment.services import (
    accept_fulfilment,
    cancel_fulfilment,
    hand_over,
    mark_picked,
    mark_ready_for_pickup,
    record_reserve_outcome,
    roll_up_order_status,
    rolled_up_status,
    ship_fulfilment,
    void_unpaid_fulfilments,
)
from network_marketplace.models import AuditEvent, OutboxMessage, WebhookDelivery
from network_marketplace.webhooks import create_endpoint
from orders.models import Order
from payments.models import Refund
from stores.models import StockLevel
from tests.fulfillment.conftest import (
    LEA,
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


def unpaid_order(network):
    """An order whose payment the bank has not confirmed yet: its stock is held for checkout."""
    return place_order(
        customer=LEA,
        lines=[
            CheckoutLine(*click_and_collect(network.secateur, network.lyon, quantity=2)),
            CheckoutLine(*home(network.secateur)),
        ],
        actor="storefront",
        payment_token="tok_delayed",
    )


def held(network) -> int:
    """Units of the variant held anywhere in the network."""
    return sum(
        StockLevel.objects.filter(variant=network.secateur).values_list("reserved", flat=True)
    )


def test_the_roll_up_leaves_an_order_awaiting_payment_alone(network):
    order = unpaid_order(network)

    rolled = roll_up_order_status(order=order, actor="store")

    assert rolled.status == S.PENDING_PAYMENT
    assert rolled_up_status(order) == S.PLACED
    assert not order.events.exclude(to_status=S.PENDING_PAYMENT).exists()


def test_an_unpaid_orders_fulfilments_are_voided_each_with_its_event_and_its_stock_back(
    network, hq_admin
):
    create_endpoint(
        store=None, url="https://bi.example.com/hooks", event_types=["fulfillment.cancelled"],
        description="BI", actor=hq_admin,
    )  # fmt: skip
    order = unpaid_order(network)
    assert order.status == S.PENDING_PAYMENT
    assert held(network) == 3

    with transaction.atomic():
        Order.objects.select_for_update().get(pk=order.pk)
        voided = void_unpaid_fulfilments(
            order=order, actor="system:checkout", reason="The payment was declined."
        )

    assert voided == 2
    for fulfilment in order.fulfilments.all():
        assert fulfilment.status == Fulfilment.Status.CANCELLED
        assert fulfilment.closed_at is not None
        event = fulfilment.events.get()
        assert (event.from_status, event.to_status, event.reason) == (
            Fulfilment.Status.AWAITING_ACCEPTANCE,
            Fulfilment.Status.CANCELLED,
            "The payment was declined.",
        )
        assert AuditEvent.objects.filter(
            action="fulfilment.cancelled", target_id=str(fulfilment.pk)
        ).exists()
    assert held(network) == 0
    # The stores never saw the order: no webhook, no e-mail, no line cancelled, no refund.
    assert not WebhookDelivery.objects.filter(event_type="fulfillment.cancelled").exists()
    assert not OutboxMessage.objects.filter(kind="email", payload__template="order_lines_cancelled")
    assert not order.lines.filter(cancelled_quantity__gt=0).exists()
    assert not Refund.objects.filter(order=order).exists()


def test_voiding_an_unpaid_orders_fulfilments_twice_moves_them_once(network):
    order = unpaid_order(network)
    void_unpaid_fulfilments(order=order, actor="system:checkout", reason="Declined")

    again = void_unpaid_fulfilments(order=order, actor="system:checkout", reason="Declined")

    assert again == 0
    assert order.fulfilments.filter(events__to_status=Fulfilment.Status.CANCELLED).count() == 2
