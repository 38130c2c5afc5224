"""What one checkout costs the database (issue 16): at most 33 round trips through the service
layer and 38 over HTTP, pinned so that they cannot creep back, and the order API's answer built
from the objects in hand is the order as the API shows it afterwards.

How the round trips are counted: every statement sent to PostgreSQL, as Django's
CaptureQueriesContext sees them: data statements and the transaction's own (BEGIN/COMMIT, or
inside a test's transaction the SAVEPOINT/RELEASE that stand for them, one each). A settings
row read from memory or a Redis lookup is no round trip to PostgreSQL. The first checkout of a
test warms what a web worker keeps (the settings rows, content types), as in production.
"""

from __future__ import annotations

import uuid

import pytest

from checkout.services import CheckoutLine, CustomerDetails, place_order
from orders.models import FulfilmentMethod, Order
from stores.models import Reservation
from tests.api_clients import api_client

from .test_api_checkout import COLLECT_SECATEURS, DELIVER_CAN, ORDERS, order_body
from .test_api_checkout import LEA as LEA_JSON

SERVICE_ROUND_TRIPS = 33
HTTP_ROUND_TRIPS = 38

LEA = CustomerDetails(email="lea@example.com", first_name="Léa", last_name="Martin")


def _collect_one(secateur, lyon_store) -> Order:
    return place_order(
        customer=LEA,
        lines=[CheckoutLine(secateur, 1, FulfilmentMethod.CLICK_COLLECT, lyon_store)],
        actor="storefront",
        payment_token="tok_visa",
    )


def test_a_click_and_collect_checkout_takes_at_most_33_round_trips(
    api_network, secateur, lyon_store, django_assert_max_num_queries
):
    _collect_one(secateur, lyon_store)  # warm-up

    with django_assert_max_num_queries(SERVICE_ROUND_TRIPS):
        order = _collect_one(secateur, lyon_store)

    assert order.status == Order.Status.PLACED
    assert (
        Reservation.objects.get(
            holder=f"fulfilment:{order.fulfilments.get().pk}", status=Reservation.Status.ACTIVE
        ).kind
        == Reservation.Kind.ORDER
    )


def test_an_order_placed_over_the_api_takes_at_most_38_round_trips(
    api_network, hq_key, django_assert_max_num_queries
):
    # One click & collect unit, no delivery address: the bench's order (bench/checkout_http.py)
    client = api_client(key=hq_key)
    body = {"customer": LEA_JSON, "lines": [{**COLLECT_SECATEURS, "quantity": 1}],
            "payment_token": "tok_visa"}  # fmt: skip
    client.post(ORDERS, body, format="json", HTTP_IDEMPOTENCY_KEY="warm-up")

    with django_assert_max_num_queries(HTTP_ROUND_TRIPS):
        response = client.post(ORDERS, body, format="json", HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex)

    assert response.status_code == 201, response.content
    assert response.json()["status"] == "placed"


@pytest.mark.parametrize(
    "lines",
    [
        pytest.param([{**COLLECT_SECATEURS, "quantity": 1}], id="click-and-collect"),
        pytest.param([COLLECT_SECATEURS, DELIVER_CAN], id="collect-and-home-delivery"),
    ],
)
def test_the_answer_to_a_checkout_is_the_order_as_the_api_shows_it(api_network, hq_key, lines):
    client = api_client(key=hq_key)

    placed = client.post(
        ORDERS, order_body(*lines), format="json", HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex
    )

    assert placed.status_code == 201, placed.content
    answer = placed.json()
    assert answer == client.get(f"{ORDERS}{answer['number']}/").json()
    assert [event["to_status"] for event in answer["events"]] == ["pending_payment", "placed"]
    assert len(answer["fulfilments"]) == len(lines)
