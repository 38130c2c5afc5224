"""A fulfilment refused by its store goes to the next candidate; what nobody can serve is
cancelled, refunded and told to the customer; a store the customer chose is never swapped."""

from __future__ import annotations

import threading

import pytest

from fulfillment.models import Fulfilment
from fulfillment.services import accept_fulfilment, reject_fulfilment
from network_marketplace.models import WebhookDelivery
from network_marketplace.webhooks import create_endpoint
from orders.models import Order
from payments.models import Refund
from stores.models import Reservation
from tests.factories import StockLevelFactory, VariantFactory

from .conftest import click_and_collect, emails_sent, home, order_for, reserve_and_collect

S = Fulfilment.Status


def open_fulfilment(order_or_fulfilments) -> Fulfilment:
    fulfilments = getattr(order_or_fulfilments, "fulfilments", order_or_fulfilments)
    return fulfilments.get(status=S.AWAITING_ACCEPTANCE)


def test_a_parcel_the_warehouse_refuses_goes_to_the_next_store_with_a_fresh_deadline_and_hold(
    network, lyon_owner
):
    # Given a home delivery routed to the warehouse, which the Lyon store could also serve
    order = order_for(home(network.secateur, 2))
    lost = order.fulfilments.get()
    assert lost.store == network.warehouse
    for other in (network.villeurbanne, network.caluire):
        network.stock(other).delete()

    # When the warehouse rejects it
    reject_fulfilment(fulfilment=lost, actor="wms", reason="Rupture")

    # Then a new fulfilment awaits the Lyon store, with its own deadline and firm hold
    lost.refresh_from_db()
    new = open_fulfilment(order)
    assert (new.store, new.method) == (network.lyon, lost.method)
    assert new.lines.get().quantity == 2
    assert new.accept_deadline > lost.closed_at
    hold = Reservation.objects.get(holder=f"fulfilment:{new.pk}")
    assert (hold.store, hold.quantity, hold.status, hold.expires_at) == (
        network.lyon, 2, Reservation.Status.ACTIVE, None,
    )  # fmt: skip
    assert network.stock(network.lyon).reserved == 2
    assert network.stock(network.warehouse).reserved == 0
    # And the decision is kept with the order, after the placement's
    order.refresh_from_db()
    assert [entry["reason"] for entry in order.routing_log] == ["placed", "rejected"]
    rerouted = order.routing_log[-1]
    assert rerouted["fulfilment"] == lost.pk
    assert rerouted["result"]["excluded_location_ids"] == [network.warehouse.pk]
    assert rerouted["result"]["lines"][0]["location_id"] == network.lyon.pk
    # And nothing was cancelled: no refund, no cancellation e-mail, the order goes on
    assert order.status == Order.Status.PLACED
    assert not Refund.objects.exists()
    assert not emails_sent("order_lines_cancelled")


def test_the_new_store_hears_of_the_rerouted_fulfilment_by_webhook(network, lyon_owner):
    create_endpoint(
        store=network.lyon, url="https://pos.example.com/hooks", event_types=["*"],
        description="POS", actor=lyon_owner,
    )  # fmt: skip
    for other in (network.villeurbanne, network.caluire):
        network.stock(other).delete()
    order = order_for(home(network.secateur))

    reject_fulfilment(fulfilment=order.fulfilments.get(), actor="wms", reason="Rupture")

    new = open_fulfilment(order)
    created = WebhookDelivery.objects.get(event_type="fulfillment.created")
    assert created.message.payload["event"]["data"]["fulfilment"] == new.pk


def test_each_refusing_location_is_left_out_until_none_is_left_then_the_line_is_cancelled(
    network,
):
    # Given a home delivery of 2 items with delivery fee, four locations able to serve it
    order = order_for(home(network.secateur, 1))
    assert order.shipping_cents == 490
    served_by = []

    # When every location in turn rejects it
    for _round in range(4):
        current = open_fulfilment(order)
        served_by.append(current.store)
        reject_fulfilment(fulfilment=current, actor="store", reason="Pas de stock")

    # Then each location got it once, and the line is cancelled with nothing left open
    assert len(set(served_by)) == 4
    assert not order.fulfilments.filter(status=S.AWAITING_ACCEPTANCE).exists()
    line = order.lines.get()
    assert line.cancelled_quantity == 1
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert order.events.last().to_status == Order.Status.CANCELLED
    # The items and the delivery fee are refunded once, the customer is told once
    refund = Refund.objects.get()
    assert refund.amount_cents == 2990 + 490
    (email,) = emails_sent("order_lines_cancelled")
    assert email.payload["context"]["whole_order"] is True
    assert email.payload["context"]["refund_cents"] == 2990 + 490
    assert email.payload["context"]["why"] == "rejected"
    assert all(network.stock(store).reserved == 0 for store in served_by)


def test_a_click_and_collect_refused_by_the_chosen_store_is_cancelled_not_moved(network):
    # Given a click & collect in Lyon, and a home delivery in the same order
    order = order_for(click_and_collect(network.secateur, network.lyon), home(network.secateur))
    collect = order.fulfilments.get(store=network.lyon)

    # When Lyon refuses the pickup
    reject_fulfilment(fulfilment=collect, actor="store", reason="Produit abîmé")

    # Then the collect line is cancelled, never moved to another store
    assert order.fulfilments.count() == 2
    collect_line = order.lines.get(method="click_collect")
    assert collect_line.cancelled_quantity == 1
    # Only the item is refunded: the home delivery goes on, its fee stays
    assert Refund.objects.get().amount_cents == 2990
    (email,) = emails_sent("order_lines_cancelled")
    assert email.payload["context"]["whole_order"] is False
    order.refresh_from_db()
    assert order.status == Order.Status.PLACED
    assert network.stock(network.lyon).reserved == 0


def test_a_refused_reservation_is_cancelled_without_refund(network):
    order = order_for(reserve_and_collect(network.secateur, network.lyon))

    reject_fulfilment(fulfilment=order.fulfilments.get(), actor="store", reason="Vitrine")

    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert not Refund.objects.exists()
    (email,) = emails_sent("order_lines_cancelled")
    assert email.payload["context"]["refund_cents"] == 0


def test_rejecting_twice_reroutes_once(network):
    order = order_for(home(network.secateur))
    lost = order.fulfilments.get()

    reject_fulfilment(fulfilment=lost, actor="wms", reason="Rupture")
    reject_fulfilment(fulfilment=lost, actor="wms", reason="Rupture")

    assert order.fulfilments.count() == 2
    order.refresh_from_db()
    assert len(order.routing_log) == 2


def test_a_reroute_counts_the_parcels_still_going_out(network):
    # Given an order split over two parcels: the warehouse sends the secateur, a store the rake
    rake = VariantFactory(rrp_cents=1990)
    for store in (network.caluire, network.villeurbanne):
        network.stock(store).delete()
        StockLevelFactory(store=store, variant=rake, on_hand=1, price_cents=1990)
    order = order_for(home(network.secateur), home(rake))
    rake_parcel = order.fulfilments.exclude(store=network.warehouse).get()

    # When the store sending the rake refuses
    reject_fulfilment(fulfilment=rake_parcel, actor="store", reason="Rupture")

    # Then the other store with a rake sends it; the routing knew one parcel was kept
    new = open_fulfilment(order.fulfilments.exclude(store=network.warehouse))
    assert new.store == ({network.caluire, network.villeurbanne} - {rake_parcel.store}).pop()
    order.refresh_from_db()
    assert order.routing_log[-1]["result"]["policy"]["max_parcels"] == 2
    assert order.routing_log[-1]["result"]["home_delivery"]["parcels"] == [new.store.pk]


@pytest.mark.parametrize("accepted_first", [False, True], ids=["placed", "in-progress"])
def test_cancelling_part_of_an_order_leaves_its_status_alone(network, accepted_first):
    order = order_for(click_and_collect(network.secateur, network.lyon), home(network.secateur))
    if accepted_first:
        accept_fulfilment(fulfilment=order.fulfilments.get(store=network.warehouse), actor="wms")

    reject_fulfilment(
        fulfilment=order.fulfilments.get(store=network.lyon), actor="store", reason="Abîmé"
    )

    order.refresh_from_db()
    assert order.status == (Order.Status.IN_PROGRESS if accepted_first else Order.Status.PLACED)


@pytest.mark.django_db(transaction=True)
def test_two_parcels_of_one_order_refused_at_the_same_moment_are_both_rerouted(network):
    # Given an order over two parcels: the warehouse's secateur, a store's rake
    from django.db import connection

    rake = VariantFactory(rrp_cents=1990)
    for store in (network.caluire, network.villeurbanne):
        network.stock(store).delete()
        StockLevelFactory(store=store, variant=rake, on_hand=1, price_cents=1990)
    order = order_for(home(network.secateur), home(rake))
    parcels = list(order.fulfilments.order_by("pk"))
    rake_store = next(f.store for f in parcels if f.store != network.warehouse)
    barrier, errors = threading.Barrier(2), []

    def refuse(fulfilment):
        try:
            barrier.wait()
            reject_fulfilment(fulfilment=fulfilment, actor="store", reason="Rupture")
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    # When both locations refuse at once
    threads = [threading.Thread(target=refuse, args=(parcel,)) for parcel in parcels]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # Then neither failed (no deadlock), and each item went to a location still able to send it
    assert errors == []
    new = order.fulfilments.filter(status=S.AWAITING_ACCEPTANCE)
    assert {f.store for f in new} == {
        network.lyon,
        ({network.caluire, network.villeurbanne} - {rake_store}).pop(),
    }
    order.refresh_from_db()
    assert len(order.routing_log) == 3
    for fulfilment in new:
        assert (
            Reservation.objects.filter(
                holder=f"fulfilment:{fulfilment.pk}", status="active"
            ).count()
            == 1
        )
