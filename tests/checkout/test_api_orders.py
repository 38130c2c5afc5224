"""Following orders through GET /api/v1/orders/: a customer reads their own orders, with the
lines, each fulfilment's store, status, carrier and tracking, and the history; HQ reads every
order and filters them; a store key reads the orders its staff placed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from checkout.services import CheckoutLine, CustomerDetails, place_order
from fulfillment.services import accept_fulfilment, mark_picked, ship_fulfilment
from orders.models import FulfilmentMethod, Order
from stores.models import StockLevel
from tests.api_clients import api_client
from tests.factories import UserFactory

ORDERS = "/api/v1/orders/"


def order_for(user, variant, *, method=FulfilmentMethod.HOME_DELIVERY, store=None, quantity=1,
              channel=Order.Channel.WEB, placed_by_store=None):  # fmt: skip
    return place_order(
        customer=CustomerDetails(
            email=user.email if user else "walk-in@example.com", first_name="Léa",
            last_name="Martin", address_line="3 rue Mercière", postal_code="69002", city="Lyon",
            user=user,
        ),
        lines=[CheckoutLine(variant, quantity, method, store)],
        actor=user or "test", channel=channel, placed_by_store=placed_by_store,
        payment_token="tok_visa",
    )  # fmt: skip


@pytest.fixture
def neighbour(db):
    return UserFactory(email="paul.neighbour@example.com")


def test_a_customer_lists_only_their_own_orders(api_network, customer, neighbour, watering_can):
    mine = order_for(customer, watering_can)
    order_for(neighbour, watering_can)

    response = api_client(user=customer).get(ORDERS)

    assert response.status_code == 200
    assert [order["number"] for order in response.json()["results"]] == [mine.number]
    summary = response.json()["results"][0]
    assert (summary["status"], summary["total_cents"], summary["item_count"]) == (
        "placed", 1690, 1,
    )  # fmt: skip
    assert summary["fulfilments"][0]["store"] == "entrepot-central"


def test_a_customer_follows_their_parcel_with_its_tracking_number(
    api_network, customer, watering_can, hq_admin
):
    order = order_for(customer, watering_can)
    fulfilment = order.fulfilments.get()
    accept_fulfilment(fulfilment=fulfilment, actor=hq_admin)
    mark_picked(fulfilment=fulfilment, actor=hq_admin)
    ship_fulfilment(
        fulfilment=fulfilment, carrier="Colissimo", tracking_number="6A123", actor=hq_admin
    )

    response = api_client(user=customer).get(f"{ORDERS}{order.number}/")

    assert response.status_code == 200
    body = response.json()
    assert body["lines"][0]["sku"] == "ARD-ARR-10"
    parcel = body["fulfilments"][0]
    assert (parcel["store"]["slug"], parcel["status"], parcel["carrier"]) == (
        "entrepot-central", "shipped", "Colissimo",
    )  # fmt: skip
    assert parcel["tracking_number"] == "6A123"
    assert [event["to_status"] for event in parcel["events"]] == ["accepted", "picked", "shipped"]
    assert "actor" not in parcel["events"][0]  # staff e-mails stay private
    # The order's status followed its only fulfilment: accepted, then shipped
    assert [event["to_status"] for event in body["events"]] == [
        "pending_payment", "placed", "in_progress", "completed",
    ]  # fmt: skip
    assert body["status"] == "completed"


def test_another_customers_order_is_a_404(api_network, customer, neighbour, watering_can):
    theirs = order_for(neighbour, watering_can)

    response = api_client(user=customer).get(f"{ORDERS}{theirs.number}/")
    missing = api_client(user=customer).get(f"{ORDERS}ARD-9999999/")

    assert response.status_code == missing.status_code == 404
    assert response.json() == missing.json()


def test_an_order_awaiting_payment_is_not_shown_to_the_customer(
    api_network, customer, watering_can
):
    order = order_for(customer, watering_can)
    Order.objects.filter(pk=order.pk).update(status=Order.Status.PENDING_PAYMENT)

    assert api_client(user=customer).get(ORDERS).json()["count"] == 0


def test_hq_sees_every_order_with_who_acted(api_network, customer, neighbour, watering_can, hq_key):
    orders = [order_for(customer, watering_can), order_for(neighbour, watering_can)]

    listed = api_client(key=hq_key).get(ORDERS).json()
    detail = api_client(key=hq_key).get(f"{ORDERS}{orders[0].number}/").json()

    assert [order["number"] for order in listed["results"]] == [o.number for o in orders[::-1]]
    assert detail["customer"]["email"] == customer.email


def test_hq_filters_orders_by_status_store_and_date(
    api_network, customer, watering_can, secateur, lyon_store, hq_key
):
    shipped = order_for(customer, watering_can)
    collected = order_for(customer, secateur, method=FulfilmentMethod.CLICK_COLLECT,
                          store=lyon_store)  # fmt: skip
    Order.objects.filter(pk=shipped.pk).update(
        status=Order.Status.COMPLETED, placed_at=timezone.now() - timedelta(days=3)
    )
    client = api_client(key=hq_key)
    today = timezone.localdate()

    def numbers(**query):
        response = client.get(ORDERS, query)
        assert response.status_code == 200, response.content
        return [order["number"] for order in response.json()["results"]]

    assert numbers(status="completed") == [shipped.number]
    assert numbers(store="lyon-presquile") == [collected.number]
    assert numbers(store="entrepot-central") == [shipped.number]
    assert numbers(placed_from=today.isoformat()) == [collected.number]
    assert numbers(placed_to=(today - timedelta(days=1)).isoformat()) == [shipped.number]


@pytest.mark.parametrize(
    "query",
    [{"status": "lost"}, {"store": "atlantis"}, {"placed_from": "tuesday"}],
    ids=["status", "store", "date"],
)
def test_a_bad_order_filter_is_a_400(api_network, hq_key, query):
    response = api_client(key=hq_key).get(ORDERS, query)

    assert response.status_code == 400
    assert set(response.json()["fields"]) == set(query)


def test_a_store_key_reads_the_orders_its_staff_placed_only(
    api_network, customer, watering_can, lyon_store, lyon_key, paris_key
):
    walk_in = order_for(None, watering_can, channel=Order.Channel.ENDLESS_AISLE,
                        placed_by_store=lyon_store)  # fmt: skip
    order_for(customer, watering_can)

    lyon = api_client(key=lyon_key)
    paris = api_client(key=paris_key)

    assert [o["number"] for o in lyon.get(ORDERS).json()["results"]] == [walk_in.number]
    assert lyon.get(f"{ORDERS}{walk_in.number}/").json()["placed_by_store"] == "lyon-presquile"
    assert paris.get(ORDERS).json()["count"] == 0
    assert paris.get(f"{ORDERS}{walk_in.number}/").status_code == 404


@pytest.mark.parametrize("caller", ["customer", "hq_key"])
def test_the_order_list_costs_the_same_queries_for_2_or_20_orders(
    request, api_network, customer, watering_can, secateur, lyon_store, caller,
    django_assert_max_num_queries,
):  # fmt: skip
    client = (
        api_client(user=customer)
        if caller == "customer"
        else api_client(key=request.getfixturevalue("hq_key"))
    )
    StockLevel.objects.filter(variant=secateur).update(on_hand=50)
    for _ in range(2):
        order_for(customer, watering_can)
    with django_assert_max_num_queries(12) as few:
        assert client.get(ORDERS).status_code == 200
    for index in range(18):
        if index % 2:
            order_for(customer, watering_can)
        else:
            order_for(customer, secateur, method=FulfilmentMethod.CLICK_COLLECT, store=lyon_store)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(ORDERS)

    assert response.json()["count"] == 20


def test_an_order_detail_costs_a_bounded_number_of_queries(
    api_network, customer, watering_can, django_assert_max_num_queries
):
    order = order_for(customer, watering_can, quantity=3)
    client = api_client(user=customer)

    with django_assert_max_num_queries(12):
        assert client.get(f"{ORDERS}{order.number}/").status_code == 200


@pytest.mark.parametrize(
    "path", ["ARD-0000001%00", "x" * 300, "%E2%80%AE"], ids=["nul", "long", "unicode"]
)
def test_a_malformed_order_number_is_a_404(api_network, customer, path):
    assert api_client(user=customer).get(f"{ORDERS}{path}/").status_code == 404
