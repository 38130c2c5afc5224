"""The tenancy matrix of the checkout and order endpoints, around Léa's order: Léa (session)
reads it; another customer, a store member who is not HQ, Paris's key, and Lyon's key (its staff
did not place it) get a 404 (its existence doesn't leak); HQ, by key or staff session, reads it;
an anonymous caller gets a 401 everywhere, and places nothing."""

from __future__ import annotations

import pytest

from checkout.services import CheckoutLine, CustomerDetails, place_order
from orders.models import FulfilmentMethod, Order
from tests.api_clients import api_client
from tests.factories import UserFactory

LEA, OTHER_CUSTOMER, STORE_OWNER = "lea", "other-customer", "store-owner"
LYON_KEY, PARIS_KEY, HQ_KEY, HQ_STAFF, ANONYMOUS = (
    "lyon-key", "paris-key", "hq-key", "hq-staff", "anonymous",
)  # fmt: skip
CALLERS = [LEA, OTHER_CUSTOMER, STORE_OWNER, LYON_KEY, PARIS_KEY, HQ_KEY, HQ_STAFF, ANONYMOUS]

DELIVER_CAN = {"sku": "ARD-ARR-10", "quantity": 1, "method": "home_delivery"}
ORDER_BODY = {
    "customer": {"email": "lea@example.com", "first_name": "Léa", "last_name": "Martin"},
    "delivery_address": {"address_line": "3 rue Mercière", "postal_code": "69002", "city": "Lyon"},
    "lines": [DELIVER_CAN],
    "payment_token": "tok_visa",
}  # fmt: skip


@pytest.fixture
def leas_order(api_network, customer, watering_can):
    return place_order(
        customer=CustomerDetails(
            email=customer.email, first_name="Léa", last_name="Martin",
            address_line="3 rue Mercière", postal_code="69002", city="Lyon", user=customer,
        ),
        lines=[CheckoutLine(watering_can, 1, FulfilmentMethod.HOME_DELIVERY)],
        actor=customer, payment_token="tok_visa",
    )  # fmt: skip


def caller(request, who):
    if who == LEA:
        return api_client(user=request.getfixturevalue("customer"))
    if who == OTHER_CUSTOMER:
        return api_client(user=UserFactory(email="paul@example.com"))
    if who == STORE_OWNER:
        return api_client(user=request.getfixturevalue("lyon_owner"))
    if who == HQ_STAFF:
        return api_client(user=request.getfixturevalue("hq_admin"))
    key = {LYON_KEY: "lyon_key", PARIS_KEY: "paris_key", HQ_KEY: "hq_key"}.get(who)
    return api_client(key=request.getfixturevalue(key)) if key else api_client()


@pytest.mark.parametrize("who", CALLERS)
def test_reading_an_order(request, leas_order, who):
    response = caller(request, who).get(f"/api/v1/orders/{leas_order.number}/")

    expected = {LEA: 200, HQ_KEY: 200, HQ_STAFF: 200, ANONYMOUS: 401}.get(who, 404)
    assert response.status_code == expected, response.content
    if expected == 200:
        assert response.json()["number"] == leas_order.number


@pytest.mark.parametrize("who", CALLERS)
def test_listing_orders(request, leas_order, who):
    response = caller(request, who).get("/api/v1/orders/")

    if who == ANONYMOUS:
        assert response.status_code == 401
        return
    assert response.status_code == 200
    numbers = [order["number"] for order in response.json()["results"]]
    assert numbers == ([leas_order.number] if who in (LEA, HQ_KEY, HQ_STAFF) else [])


@pytest.mark.parametrize("who", CALLERS)
def test_quoting(request, api_network, who):
    response = caller(request, who).post(
        "/api/v1/checkout/quote/", {"postal_code": "69002", "lines": [DELIVER_CAN]}, format="json"
    )

    assert response.status_code == (401 if who == ANONYMOUS else 200), response.content


@pytest.mark.parametrize("who", CALLERS)
def test_placing_an_order(request, api_network, who):
    response = caller(request, who).post("/api/v1/orders/", ORDER_BODY, format="json")

    if who == ANONYMOUS:
        assert response.status_code == 401
        assert not Order.objects.exists()
        return
    assert response.status_code == 201, response.content
    order = Order.objects.get()
    expected_channel = {LYON_KEY: "endless_aisle", PARIS_KEY: "endless_aisle", HQ_KEY: "api"}
    assert order.channel == expected_channel.get(who, "web")
    assert (order.placed_by_store.slug if order.placed_by_store else None) == {
        LYON_KEY: "lyon-presquile",
        PARIS_KEY: "paris-bastille",
    }.get(who)
