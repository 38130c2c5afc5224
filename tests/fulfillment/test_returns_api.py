"""Returns in the API: the customer's returns, a store's returns desk, delivery reports, tenancy."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from fulfillment.models import Fulfilment, Return
from fulfillment.services import receive_return, request_return
from orders.models import FulfilmentMethod
from stores.models import StockLevel, StockMovement
from stores.services import issue_api_key

from .conftest import make_fulfilment
from .returns_helpers import Sold, all_of, fulfilment_lines, received_order

R = Return.Status


@pytest.fixture
def lyon_key(lyon_store, lyon_owner):
    return issue_api_key(store=lyon_store, name="Caisse Lyon", actor=lyon_owner).secret


@pytest.fixture
def paris_key(paris_store, paris_owner):
    return issue_api_key(store=paris_store, name="Caisse Paris", actor=paris_owner).secret


@pytest.fixture
def hq_key(hq_admin):
    return issue_api_key(store=None, name="ERP siège", actor=hq_admin).secret


def api(secret=None, user=None) -> APIClient:
    client = APIClient()
    if secret:
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")
    if user:
        client.force_login(user)
    return client


def started(order, store):
    return request_return(
        order=order, lines=all_of(order), reason=Return.Reason.CHANGED_MIND,
        method=Return.Method.IN_STORE, store=store, actor="customer",
    )  # fmt: skip


def desk(store, suffix=""):
    return f"/api/v1/stores/{store.slug}/returns/{suffix}"


# Customer ---------------------------------------------------------------------------------


def test_a_customer_starts_a_return_of_their_order(customer, lyon_store, paris_store):
    order = received_order(Sold(lyon_store, quantity=2), customer=customer)
    line = fulfilment_lines(order)[0]
    client = api(user=customer)

    returnable = client.get("/api/v1/my/returns/returnable/", {"order": order.number})
    created = client.post(
        "/api/v1/my/returns/",
        {"order": order.number, "lines": [{"fulfilment_line": line.pk, "quantity": 1}],
         "reason": "does_not_fit", "method": "in_store", "store": paris_store.slug},
        format="json",
    )  # fmt: skip

    assert returnable.status_code == 200
    assert returnable.json()[0]["returnable_quantity"] == 2
    assert created.status_code == 201
    body = created.json()
    assert (body["status"], body["store"], body["order"]) == ("requested", "paris-bastille",
                                                               order.number)  # fmt: skip
    assert body["lines"][0]["seller_store"] == lyon_store.slug
    listed = client.get("/api/v1/my/returns/").json()
    assert [item["number"] for item in listed["results"]] == [body["number"]]
    assert client.get(f"/api/v1/my/returns/{body['number']}/").status_code == 200


def test_too_many_units_are_a_field_error(customer, lyon_store):
    order = received_order(Sold(lyon_store, quantity=1), customer=customer)
    line = fulfilment_lines(order)[0]

    response = api(user=customer).post(
        "/api/v1/my/returns/",
        {"order": order.number, "lines": [{"fulfilment_line": line.pk, "quantity": 3}],
         "reason": "changed_mind", "method": "in_store", "store": lyon_store.slug},
        format="json",
    )  # fmt: skip

    assert response.status_code == 400
    assert response.json()["code"] == "return_invalid"
    assert "lines" in response.json()["fields"]


@pytest.mark.parametrize(
    "payload",
    [{}, {"lines": [], "reason": "x", "method": "by-pigeon"}],
    ids=["empty", "bad-values"],
)
def test_bad_input_is_a_400_with_fields(customer, lyon_store, payload):
    order = received_order(Sold(lyon_store), customer=customer)

    response = api(user=customer).post(
        "/api/v1/my/returns/", {"order": order.number, **payload}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["fields"]


def test_a_customer_cannot_return_someone_elses_order(customer, lyon_store, lyon_staff):
    order = received_order(Sold(lyon_store), customer=lyon_staff)
    other = started(received_order(Sold(lyon_store), customer=lyon_staff), lyon_store)
    line = fulfilment_lines(order)[0]
    client = api(user=customer)

    created = client.post(
        "/api/v1/my/returns/",
        {"order": order.number, "lines": [{"fulfilment_line": line.pk, "quantity": 1}],
         "reason": "changed_mind", "method": "in_store", "store": lyon_store.slug},
        format="json",
    )  # fmt: skip

    assert created.status_code == 404
    assert client.get(f"/api/v1/my/returns/{other.number}/").status_code == 404
    assert client.get("/api/v1/my/returns/").json()["count"] == 0


def test_a_store_key_is_not_a_customer(lyon_key):
    assert api(lyon_key).get("/api/v1/my/returns/").status_code == 403


def test_a_customer_cancels_before_the_items_are_received(customer, lyon_store, lyon_owner):
    made = started(received_order(Sold(lyon_store), customer=customer), lyon_store)
    received = started(received_order(Sold(lyon_store), customer=customer), lyon_store)
    receive_return(return_request=received, store=lyon_store, actor=lyon_owner)
    client = api(user=customer)

    assert client.post(f"/api/v1/my/returns/{made.number}/cancel/").json()["status"] == "cancelled"
    refused = client.post(f"/api/v1/my/returns/{received.number}/cancel/")
    assert refused.status_code == 409
    assert refused.json()["code"] == "illegal_transition"


# Store ------------------------------------------------------------------------------------


def test_a_store_receives_and_inspects_through_the_api(paris_key, lyon_store, paris_store):
    made = started(received_order(Sold(lyon_store, quantity=2, unit_price_cents=1000)),
                   paris_store)  # fmt: skip
    line = made.lines.get()
    client = api(paris_key)

    listed = client.get(desk(paris_store))
    received = client.post(desk(paris_store, f"{made.number}/receive/"))
    inspected = client.post(
        desk(paris_store, f"{made.number}/inspect/"),
        {"lines": [{"line": line.pk, "condition": "resalable", "restock": True,
                    "refund_cents": 1500}]},
        format="json",
    )  # fmt: skip

    assert [item["number"] for item in listed.json()["results"]] == [made.number]
    assert received.json()["status"] == "received"
    assert inspected.status_code == 200
    body = inspected.json()
    assert (body["status"], body["refund_total_cents"]) == ("inspected", 1500)
    assert StockLevel.objects.get(store=paris_store, variant=line.order_line.variant).on_hand == 2
    assert StockMovement.objects.get(reference=made.number).source == StockMovement.Source.API


def test_an_inspection_above_the_price_paid_is_a_field_error(lyon_key, lyon_store, lyon_owner):
    made = started(received_order(Sold(lyon_store, unit_price_cents=1000)), lyon_store)
    receive_return(return_request=made, store=lyon_store, actor=lyon_owner)
    line = made.lines.get()

    response = api(lyon_key).post(
        desk(lyon_store, f"{made.number}/inspect/"),
        {"lines": [{"line": line.pk, "condition": "resalable", "restock": True,
                    "refund_cents": 5000}]},
        format="json",
    )  # fmt: skip

    assert response.status_code == 400
    assert f"line_{line.pk}" in response.json()["fields"]


def test_the_seller_store_sees_the_return_but_cannot_act_on_it(
    lyon_key, lyon_store, paris_store, paris_owner
):
    made = started(received_order(Sold(lyon_store)), paris_store)
    receive_return(return_request=made, store=paris_store, actor=paris_owner)
    client = api(lyon_key)

    sales = client.get(desk(lyon_store), {"view": "sales"}).json()["results"]
    inspect = client.post(
        desk(lyon_store, f"{made.number}/inspect/"),
        {"lines": [{"line": made.lines.get().pk, "condition": "damaged", "restock": False}]},
        format="json",
    )

    assert [item["number"] for item in sales] == [made.number]
    assert inspect.status_code == 409
    assert inspect.json()["code"] == "not_this_stores_return"


def test_tenancy_another_store_gets_404(paris_key, lyon_store, paris_store, lyon_owner):
    made = started(received_order(Sold(lyon_store)), lyon_store)
    receive_return(return_request=made, store=lyon_store, actor=lyon_owner)
    client = api(paris_key)

    assert client.get(desk(lyon_store)).status_code == 404
    assert client.get(desk(paris_store, f"{made.number}/")).status_code == 404
    assert client.post(desk(paris_store, f"{made.number}/refund/")).status_code == 404
    assert client.get(desk(paris_store), {"view": "sales"}).json()["count"] == 0


def test_a_member_session_and_hq_key_see_the_desk(lyon_owner, hq_key, lyon_store):
    made = started(received_order(Sold(lyon_store)), lyon_store)

    mine = api(user=lyon_owner).get(desk(lyon_store)).json()["results"]
    hq = api(hq_key).get(desk(lyon_store)).json()["results"]

    assert [item["number"] for item in mine] == [item["number"] for item in hq] == [made.number]


def test_a_bad_desk_filter_is_a_400(lyon_key, lyon_store):
    response = api(lyon_key).get(desk(lyon_store), {"view": "everything"})

    assert response.status_code == 400
    assert "view" in response.json()["fields"]


def test_the_desk_list_has_bounded_queries(lyon_key, lyon_store, django_assert_max_num_queries):
    for _ in range(5):
        started(received_order(Sold(lyon_store), Sold(lyon_store)), lyon_store)

    with django_assert_max_num_queries(10):
        response = api(lyon_key).get(desk(lyon_store))

    assert response.json()["count"] == 5


# Delivery ---------------------------------------------------------------------------------


def shipped(store):
    return make_fulfilment(
        store=store, method=FulfilmentMethod.HOME_DELIVERY, status=Fulfilment.Status.SHIPPED,
        closed_at=timezone.now() - timedelta(days=2),
    )  # fmt: skip


def test_a_store_key_reports_a_delivery(lyon_key, lyon_store):
    fulfilment = shipped(lyon_store)
    at = timezone.now() - timedelta(hours=3)

    response = api(lyon_key).post(
        f"/api/v1/stores/{lyon_store.slug}/fulfilments/{fulfilment.pk}/delivered/",
        {"delivered_at": at.isoformat()}, format="json",
    )  # fmt: skip

    assert response.status_code == 200
    fulfilment.refresh_from_db()
    assert (fulfilment.status, fulfilment.delivered_at) == (Fulfilment.Status.DELIVERED, at)


def test_a_delivery_in_the_future_is_a_field_error(hq_key, lyon_store):
    fulfilment = shipped(lyon_store)

    response = api(hq_key).post(
        f"/api/v1/stores/{lyon_store.slug}/fulfilments/{fulfilment.pk}/delivered/",
        {"delivered_at": (timezone.now() + timedelta(days=2)).isoformat()}, format="json",
    )  # fmt: skip

    assert response.status_code == 400
    assert "delivered_at" in response.json()["fields"]


def test_another_stores_fulfilment_is_a_404(paris_key, lyon_store, paris_store):
    fulfilment = shipped(lyon_store)
    client = api(paris_key)

    for slug in (lyon_store.slug, paris_store.slug):
        response = client.post(f"/api/v1/stores/{slug}/fulfilments/{fulfilment.pk}/delivered/")
        assert response.status_code == 404


def test_a_till_takes_back_a_walk_in_customers_items(paris_key, lyon_store, paris_store):
    order = received_order(Sold(lyon_store, quantity=2))
    line = fulfilment_lines(order)[0]
    payload = {"order": order.number, "email": order.email, "reason": "changed_mind",
               "lines": [{"fulfilment_line": line.pk, "quantity": 2}]}  # fmt: skip

    made = api(paris_key).post(desk(paris_store), payload, format="json")
    wrong_email = api(paris_key).post(
        desk(paris_store), {**payload, "email": "x@example.com"}, format="json"
    )

    assert made.status_code == 201
    assert (made.json()["status"], made.json()["store"]) == ("received", paris_store.slug)
    assert wrong_email.status_code == 404
