"""A headless front-end or an integrator quotes a basket, then places the order, through
/api/v1/checkout/quote/ and POST /api/v1/orders/: prices, routing preview and promise; field
errors, no longer available, declined payment; and an Idempotency-Key that never doubles an
order."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from catalog.models import Variant
from checkout.api.idempotency import LEASE
from checkout.services import CheckoutLine, CustomerDetails, place_order
from fulfillment.models import Fulfilment
from network_marketplace.idempotency import fingerprint
from orders.models import Order, OrderRequest
from stores.authentication import ApiKeyPrincipal
from stores.models import ApiKey, Reservation, StockLevel, Store
from tests.api_clients import api_client

QUOTE = "/api/v1/checkout/quote/"
ORDERS = "/api/v1/orders/"

COLLECT_SECATEURS = {
    "sku": "ARD-SEC-01", "quantity": 2, "method": "click_collect", "store": "lyon-presquile",
}  # fmt: skip
DELIVER_CAN = {"sku": "ARD-ARR-10", "quantity": 1, "method": "home_delivery"}
LEA = {"email": "lea@example.com", "first_name": "Léa", "last_name": "Martin"}
ADDRESS = {"address_line": "3 rue Mercière", "postal_code": "69002", "city": "Lyon"}


def order_body(*lines, **extra):
    return {"customer": LEA, "delivery_address": ADDRESS, "lines": list(lines),
            "payment_token": "tok_visa", **extra}  # fmt: skip


# Quote ---------------------------------------------------------------------------------------


def test_a_quote_prices_routes_and_promises_a_mixed_basket(api_network, customer):
    client = api_client(user=customer)

    response = client.post(
        QUOTE, {"postal_code": "69002", "lines": [COLLECT_SECATEURS, DELIVER_CAN]}, format="json"
    )

    assert response.status_code == 200, response.content
    quote = response.json()
    collect, home = quote["lines"]
    assert (collect["unit_price_cents"], collect["rrp_cents"], collect["total_cents"]) == (
        2790, 2990, 5580,
    )  # fmt: skip
    assert (collect["vat_percent"], collect["vat_cents"]) == ("20.0", 930)
    assert collect["available"] is True
    assert collect["served_by"] == [
        {"location": {"slug": "lyon-presquile", "name": "Ardoise Lyon Presqu'île",
                      "kind": "franchise", "city": "Lyon"}, "quantity": 2},
    ]  # fmt: skip
    assert home["unit_price_cents"] == 1200
    assert home["served_by"][0]["location"]["slug"] == "entrepot-central"
    assert home["options_label"] == "Vert"
    today = timezone.localdate()
    assert (collect["delay_days"], collect["promised_on"]) == (0, today.isoformat())
    assert (home["delay_days"], home["promised_on"]) == (2, (today + timedelta(2)).isoformat())
    assert (quote["subtotal_cents"], quote["shipping_cents"], quote["total_cents"]) == (
        6780, 490, 7270,
    )  # fmt: skip
    assert quote["vat_cents"] == 930 + 200 + 82
    assert (quote["pay_online_cents"], quote["pay_in_store_cents"]) == (7270, 0)
    assert (quote["available"], quote["parcels"]) == (True, 1)
    assert quote["promised_on"] == (today + timedelta(2)).isoformat()


def test_a_quote_says_which_line_cannot_be_served_and_why(api_network, customer):
    too_many = {**COLLECT_SECATEURS, "quantity": 6}

    quote = api_client(user=customer).post(QUOTE, {"lines": [too_many]}, format="json").json()

    line = quote["lines"][0]
    assert quote["available"] is False
    assert (line["available"], line["unavailable_reason"]) == (False, "chosen_store_out_of_stock")
    assert line["unavailable_message"] == "Pas assez de stock dans ce magasin."
    assert (line["served_by"], line["promised_on"], quote["promised_on"]) == ([], None, None)


def test_a_reserved_line_is_paid_in_store(api_network, customer):
    reserve = {**COLLECT_SECATEURS, "method": "reserve_collect", "quantity": 1}

    quote = api_client(user=customer).post(QUOTE, {"lines": [reserve]}, format="json").json()

    assert (quote["total_cents"], quote["pay_online_cents"], quote["pay_in_store_cents"]) == (
        2790, 0, 2790,
    )  # fmt: skip


def test_a_quote_holds_no_stock(api_network, customer):
    api_client(user=customer).post(QUOTE, {"lines": [COLLECT_SECATEURS]}, format="json")

    assert not Reservation.objects.exists()
    assert StockLevel.objects.get(pk=api_network["lyon_secateur"].pk).reserved == 0


def _at(fields, path):
    for step in path:
        fields = fields[str(step)]
    return fields


@pytest.mark.parametrize(
    ("body", "path", "message"),
    [
        ({"lines": [COLLECT_SECATEURS, {**DELIVER_CAN, "sku": "NOPE"}], "postal_code": "69002"},
         ("lines", 1, "sku"), "Référence (SKU) inconnue."),
        ({"lines": [{**COLLECT_SECATEURS, "quantity": 0}]}, ("lines", 0, "quantity"),
         "Assurez-vous que cette valeur est supérieure ou égale à\xa01."),
        ({"lines": [{**COLLECT_SECATEURS, "quantity": "deux"}]}, ("lines", 0, "quantity"), None),
        ({"lines": [{**COLLECT_SECATEURS, "store": ""}]}, ("lines", 0, "store"),
         "Choisissez le magasin de retrait."),
        ({"lines": [{**COLLECT_SECATEURS, "store": "atlantis"}]}, ("lines", 0, "store"),
         "Magasin inconnu."),
        ({"lines": [{**DELIVER_CAN, "store": "lyon-presquile"}], "postal_code": "69002"},
         ("lines", 0, "store"), "Une ligne livrée à domicile n'a pas de magasin de retrait."),
        ({"lines": [{**COLLECT_SECATEURS, "method": "teleport"}]}, ("lines", 0, "method"), None),
        ({"lines": [DELIVER_CAN]}, ("postal_code",), "Obligatoire pour la livraison à domicile."),
        ({"lines": [DELIVER_CAN], "postal_code": "00000"}, ("postal_code",),
         "Code postal inconnu."),
        ({"lines": []}, ("lines",), None),
        ({"lines": [DELIVER_CAN] * 101, "postal_code": "69002"}, ("lines",), None),
        ({}, ("lines",), None),
    ],
    ids=[
        "unknown-sku", "zero-quantity", "quantity-not-a-number", "no-store", "unknown-store",
        "store-for-home-delivery", "bad-method", "no-postal-code", "unknown-postal-code",
        "no-lines", "too-many-lines", "empty-body",
    ],
)  # fmt: skip
def test_a_bad_quote_is_a_400_with_the_field_error_in_place(
    api_network, customer, body, path, message
):
    response = api_client(user=customer).post(QUOTE, body, format="json")

    assert response.status_code == 400
    answer = response.json()
    assert answer["code"] == "invalid"
    errors = _at(answer["fields"], path)
    assert errors
    if message is not None:
        assert errors == [message]


def test_only_the_bad_line_carries_an_error(api_network, customer):
    body = {"lines": [COLLECT_SECATEURS, {**DELIVER_CAN, "sku": "NOPE"}], "postal_code": "69002"}

    answer = api_client(user=customer).post(QUOTE, body, format="json").json()

    assert answer["fields"] == {"lines": {"1": {"sku": ["Référence (SKU) inconnue."]}}}


def test_a_store_that_does_not_offer_the_method_is_a_field_error(api_network, lyon_store, customer):
    lyon_store.offers_reserve_collect = False
    lyon_store.save()

    response = api_client(user=customer).post(
        QUOTE, {"lines": [{**COLLECT_SECATEURS, "method": "reserve_collect"}]}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["fields"]["lines"]["0"]["store"] == [
        "Ce magasin ne propose pas ce service\xa0: réservation en magasin."
    ]


def test_an_anonymous_quote_is_a_401(api_network):
    assert (
        api_client().post(QUOTE, {"lines": [COLLECT_SECATEURS]}, format="json").status_code == 401
    )


# Placing orders ------------------------------------------------------------------------------


def test_a_signed_in_customer_places_an_order_for_themselves(api_network, customer, lyon_store):
    body = order_body(COLLECT_SECATEURS, DELIVER_CAN, customer={"first_name": "Léa",
                                                                "last_name": "Martin"})  # fmt: skip

    response = api_client(user=customer).post(ORDERS, body, format="json")

    assert response.status_code == 201, response.content
    placed = response.json()
    order = Order.objects.get(number=placed["number"])
    assert (order.customer, order.email, order.channel) == (customer, customer.email, "web")
    assert placed["status"] == Order.Status.PLACED
    assert placed["total_cents"] == 7270
    assert [line["sku"] for line in placed["lines"]] == ["ARD-SEC-01", "ARD-ARR-10"]
    assert sorted(
        (f["store"]["slug"], f["method"], f["status"]) for f in placed["fulfilments"]
    ) == [
        ("entrepot-central", "home_delivery", "awaiting_acceptance"),
        ("lyon-presquile", "click_collect", "awaiting_acceptance"),
    ]
    assert placed["delivery_address"]["postal_code"] == "69002"
    assert [event["to_status"] for event in placed["events"]] == ["pending_payment", "placed"]
    assert StockLevel.objects.get(store=lyon_store, variant__sku="ARD-SEC-01").reserved == 2


def test_an_hq_key_places_an_order_for_a_headless_front_end(api_network, hq_key):
    response = api_client(key=hq_key).post(ORDERS, order_body(DELIVER_CAN), format="json")

    assert response.status_code == 201, response.content
    order = Order.objects.get(number=response.json()["number"])
    assert (order.channel, order.customer, order.email) == ("api", None, "lea@example.com")


def test_a_store_key_orders_for_a_walk_in_customer_from_another_location(
    api_network, lyon_store, lyon_key
):
    response = api_client(key=lyon_key).post(ORDERS, order_body(DELIVER_CAN), format="json")

    assert response.status_code == 201, response.content
    placed = response.json()
    assert (placed["channel"], placed["placed_by_store"]) == ("endless_aisle", "lyon-presquile")
    order = Order.objects.get(number=placed["number"])
    assert order.placed_by_store == lyon_store
    assert order.fulfilments.get().store.slug == "entrepot-central"
    assert api_client(key=lyon_key).get(f"{ORDERS}{order.number}/").status_code == 200


def test_a_suspended_store_key_cannot_place_orders(api_network, lyon_store, lyon_key):
    lyon_store.status = lyon_store.Status.SUSPENDED
    lyon_store.save()

    response = api_client(key=lyon_key).post(ORDERS, order_body(DELIVER_CAN), format="json")

    assert response.status_code == 403
    assert not Order.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (order_body({**DELIVER_CAN, "sku": "NOPE"}), "lines"),
        (order_body({**DELIVER_CAN, "quantity": -1}), "lines"),
        ({**order_body(DELIVER_CAN), "delivery_address": None}, "delivery_address"),
        (order_body(DELIVER_CAN, delivery_address={**ADDRESS, "postal_code": "00000"}),
         "delivery_address"),
        (order_body(DELIVER_CAN, customer={**LEA, "email": "not-an-email"}), "customer"),
        (order_body(DELIVER_CAN, customer={"email": "lea@example.com"}), "customer"),
    ],
    ids=["unknown-sku", "bad-quantity", "no-address", "unknown-postal-code", "bad-email",
         "no-name"],
)  # fmt: skip
def test_a_bad_order_is_a_400_with_field_errors_and_nothing_is_ordered(
    api_network, hq_key, body, field
):
    response = api_client(key=hq_key).post(ORDERS, body, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()["fields"]
    assert not Order.objects.exists()


def test_what_is_no_longer_available_is_a_409_naming_the_skus(api_network, hq_key):
    StockLevel.objects.filter(variant__sku="ARD-SEC-01").update(on_hand=1)

    response = api_client(key=hq_key).post(
        ORDERS, order_body(COLLECT_SECATEURS, DELIVER_CAN), format="json"
    )

    assert response.status_code == 409
    assert response.json()["code"] == "no_longer_available"
    assert response.json()["skus"] == ["ARD-SEC-01"]
    assert not Order.objects.exists()
    assert not Reservation.objects.exists()


def test_a_declined_payment_is_a_402_and_no_order_is_placed(api_network, hq_key):
    response = api_client(key=hq_key).post(
        ORDERS, order_body(DELIVER_CAN, payment_token="tok_decline"), format="json"
    )

    assert response.status_code == 402
    assert response.json()["code"] == "payment_declined"
    assert not Order.objects.filter(status=Order.Status.PLACED).exists()
    assert StockLevel.objects.get(variant__sku="ARD-ARR-10").reserved == 0


# Idempotency-Key -----------------------------------------------------------------------------


def test_the_same_key_and_body_gets_the_same_answer_and_one_order(api_network, hq_key):
    client = api_client(key=hq_key)
    body = order_body(DELIVER_CAN)

    first = client.post(ORDERS, body, format="json", HTTP_IDEMPOTENCY_KEY="checkout-42")
    again = client.post(ORDERS, body, format="json", HTTP_IDEMPOTENCY_KEY="checkout-42")

    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    assert Order.objects.count() == 1
    assert Fulfilment.objects.count() == 1


def test_the_same_key_with_another_body_is_a_422(api_network, hq_key):
    client = api_client(key=hq_key)
    client.post(ORDERS, order_body(DELIVER_CAN), format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    other = client.post(
        ORDERS, order_body({**DELIVER_CAN, "quantity": 2}), format="json",
        HTTP_IDEMPOTENCY_KEY="k-1",
    )  # fmt: skip

    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert Order.objects.count() == 1


def test_keys_are_per_caller(api_network, hq_key, lyon_key):
    body = order_body(DELIVER_CAN)

    hq = api_client(key=hq_key).post(ORDERS, body, format="json", HTTP_IDEMPOTENCY_KEY="same")
    lyon = api_client(key=lyon_key).post(ORDERS, body, format="json", HTTP_IDEMPOTENCY_KEY="same")

    assert hq.status_code == lyon.status_code == 201
    assert hq.json()["number"] != lyon.json()["number"]


def test_a_refusal_is_replayed_too(api_network, hq_key):
    StockLevel.objects.filter(variant__sku="ARD-SEC-01").update(on_hand=0)
    client = api_client(key=hq_key)
    body = order_body(COLLECT_SECATEURS)

    first = client.post(ORDERS, body, format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    StockLevel.objects.filter(variant__sku="ARD-SEC-01").update(on_hand=9)
    again = client.post(ORDERS, body, format="json", HTTP_IDEMPOTENCY_KEY="k-2")

    assert first.status_code == again.status_code == 409
    assert again.json() == first.json()
    assert not Order.objects.exists()


def test_a_key_longer_than_255_characters_is_a_400(api_network, hq_key):
    response = api_client(key=hq_key).post(
        ORDERS, order_body(DELIVER_CAN), format="json", HTTP_IDEMPOTENCY_KEY="k" * 256
    )

    assert response.status_code == 400
    assert not Order.objects.exists()


def dead_attempt(body, key):
    """The claim a request made with `key` before its process died."""
    hq_api_key = ApiKey.objects.get(store=None)
    return OrderRequest.objects.create(
        principal=f"k{hq_api_key.pk}", key=key, fingerprint=fingerprint(body)
    ), ApiKeyPrincipal(hq_api_key)


def lease_runs_out(request):
    OrderRequest.objects.filter(pk=request.pk).update(attempt_started_at=timezone.now() - LEASE * 2)


def test_a_request_that_died_before_ordering_gives_its_key_back_after_the_lease(
    api_network, hq_key
):
    body = order_body(DELIVER_CAN)
    client = api_client(key=hq_key)
    request, _principal = dead_attempt(body, "k-3")

    busy = client.post(ORDERS, body, format="json", HTTP_IDEMPOTENCY_KEY="k-3")
    lease_runs_out(request)
    taken_over = client.post(ORDERS, body, format="json", HTTP_IDEMPOTENCY_KEY="k-3")

    assert busy.status_code == 409
    assert busy.json()["code"] == "request_in_progress"
    assert taken_over.status_code == 201
    assert OrderRequest.objects.get(key="k-3").order.number == taken_over.json()["number"]


def place_as(principal, *lines):
    """What the dead request did before dying: place the order as its caller."""
    return place_order(
        customer=CustomerDetails(**LEA, **ADDRESS),
        lines=[
            CheckoutLine(
                Variant.objects.get(sku=line["sku"]), line["quantity"], line["method"],
                Store.objects.filter(slug=line.get("store")).first(),
            )
            for line in lines
        ],
        actor=principal, channel=Order.Channel.API, payment_token="tok_visa",
    )  # fmt: skip


def test_a_request_that_died_after_ordering_is_answered_with_its_order(api_network, hq_key):
    body = order_body(DELIVER_CAN)
    request, principal = dead_attempt(body, "k-4")
    placed = place_as(principal, DELIVER_CAN)
    lease_runs_out(request)

    retry = api_client(key=hq_key).post(ORDERS, body, format="json", HTTP_IDEMPOTENCY_KEY="k-4")

    assert retry.status_code == 201
    assert retry.json()["number"] == placed.number
    assert Order.objects.count() == 1


def test_a_request_that_died_during_the_payment_stays_in_progress(api_network, hq_key):
    body = order_body(DELIVER_CAN)
    request, principal = dead_attempt(body, "k-5")
    placed = place_as(principal, DELIVER_CAN)
    Order.objects.filter(pk=placed.pk).update(status=Order.Status.PENDING_PAYMENT)
    lease_runs_out(request)

    retry = api_client(key=hq_key).post(ORDERS, body, format="json", HTTP_IDEMPOTENCY_KEY="k-5")

    assert retry.status_code == 409
    assert retry.json()["code"] == "request_in_progress"
    assert Order.objects.count() == 1


def test_another_order_of_the_same_caller_is_not_mistaken_for_the_dead_request(api_network, hq_key):
    body = order_body(DELIVER_CAN)
    request, principal = dead_attempt(body, "k-6")
    other = place_as(principal, {**DELIVER_CAN, "quantity": 3})
    lease_runs_out(request)

    retry = api_client(key=hq_key).post(ORDERS, body, format="json", HTTP_IDEMPOTENCY_KEY="k-6")

    assert retry.status_code == 201
    assert retry.json()["number"] != other.number
    assert Order.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_simultaneous_retries_with_one_key_place_one_order(api_network, hq_key):
    body = order_body(DELIVER_CAN)
    answers = []
    barrier = threading.Barrier(4)

    def post():
        try:
            barrier.wait()
            response = api_client(key=hq_key).post(
                ORDERS, body, format="json", HTTP_IDEMPOTENCY_KEY="double-click"
            )
            answers.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert Order.objects.count() == 1
    assert answers.count(201) >= 1
    assert set(answers) <= {201, 409}
    assert StockLevel.objects.get(variant__sku="ARD-ARR-10").reserved == 1


def test_keys_older_than_a_day_are_forgotten_by_the_hourly_job(api_network, hq_key):
    from checkout.tasks import purge_order_requests

    client = api_client(key=hq_key)
    client.post(ORDERS, order_body(DELIVER_CAN), format="json", HTTP_IDEMPOTENCY_KEY="old")
    client.post(ORDERS, order_body(DELIVER_CAN), format="json", HTTP_IDEMPOTENCY_KEY="new")
    OrderRequest.objects.filter(key="old").update(created_at=timezone.now() - timedelta(hours=25))

    purged = purge_order_requests.delay().get()

    assert purged == 1
    assert list(OrderRequest.objects.values_list("key", flat=True)) == ["new"]


def test_a_quote_costs_the_same_queries_for_2_or_40_lines(
    api_network, customer, django_assert_max_num_queries
):
    client = api_client(user=customer)
    two = {"postal_code": "69002", "lines": [COLLECT_SECATEURS, DELIVER_CAN]}
    with django_assert_max_num_queries(15) as few:
        assert client.post(QUOTE, two, format="json").status_code == 200
    many = {
        "postal_code": "69002",
        "lines": [{**COLLECT_SECATEURS, "quantity": 1}, DELIVER_CAN] * 20,
    }

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.post(QUOTE, many, format="json")

    assert response.status_code == 200
    assert len(response.json()["lines"]) == 40


def test_a_key_may_be_used_again_after_a_day(api_network, hq_key):
    client = api_client(key=hq_key)
    first = client.post(ORDERS, order_body(DELIVER_CAN), format="json", HTTP_IDEMPOTENCY_KEY="d")
    OrderRequest.objects.update(created_at=timezone.now() - timedelta(hours=25))

    later = client.post(ORDERS, order_body(DELIVER_CAN), format="json", HTTP_IDEMPOTENCY_KEY="d")

    assert first.status_code == later.status_code == 201
    assert first.json()["number"] != later.json()["number"]
    assert OrderRequest.objects.get().order.number == later.json()["number"]


def test_a_session_must_send_its_csrf_token_to_place_an_order(api_network, customer):
    """A page of another site can't make a signed-in customer's browser order."""
    from rest_framework.test import APIClient

    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(customer)

    response = browser.post(ORDERS, order_body(DELIVER_CAN), format="json")

    assert response.status_code == 403
    assert not Order.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"lines": "ARD-SEC-01"},
        {"lines": [["ARD-SEC-01", 1]]},
        {"lines": [{**COLLECT_SECATEURS, "sku": "ARD\x00SEC"}]},
        {"lines": [{**COLLECT_SECATEURS, "quantity": 10**12}]},
        {"lines": [COLLECT_SECATEURS], "postal_code": "6900\x002"},
        [COLLECT_SECATEURS],
        "not json at all",
    ],
    ids=["lines-not-a-list", "line-not-an-object", "nul-in-sku", "huge-quantity",
         "nul-in-postal-code", "body-a-list", "body-a-string"],
)  # fmt: skip
def test_garbage_is_a_400_never_a_500(api_network, customer, body):
    client = api_client(user=customer)

    quote = client.post(QUOTE, body, format="json")
    order = client.post(ORDERS, body, format="json")

    assert quote.status_code == order.status_code == 400, (quote.content, order.content)


# Through the stripe_connect provider (the SDK against the local Stripe server) --------------


def test_an_order_placed_through_the_api_is_paid_with_stripe(api_network, hq_key, stripe_server):
    response = api_client(key=hq_key).post(ORDERS, order_body(DELIVER_CAN), format="json")

    assert response.status_code == 201, response.content
    order = Order.objects.get(number=response.json()["number"])
    payment = order.payments.get()
    assert (order.status, payment.provider) == (Order.Status.PLACED, "stripe_connect")
    intent = stripe_server.objects[payment.reference]
    assert (intent["status"], intent["transfer_group"]) == ("succeeded", order.number)
    assert intent["amount"] == order.online_payment_cents


def test_a_card_declined_by_stripe_is_a_402_and_no_order_is_paid(
    api_network, hq_key, stripe_server
):
    response = api_client(key=hq_key).post(
        ORDERS, order_body(DELIVER_CAN, payment_token="pm_card_chargeDeclined"), format="json"
    )

    assert response.status_code == 402
    assert not Order.objects.exclude(status=Order.Status.CANCELLED).exists()
    assert stripe_server.of_type("charge") == []


def test_stripe_down_is_a_503_and_nothing_is_ordered(api_network, hq_key, stripe_server):
    stripe_server.fail_next(429)

    response = api_client(key=hq_key).post(ORDERS, order_body(DELIVER_CAN), format="json")

    assert response.status_code == 503
    assert response.json()["code"] == "payment_unavailable"
    assert StockLevel.objects.get(variant__sku="ARD-ARR-10").reserved == 0


def test_a_payment_waiting_for_3d_secure_answers_201_awaiting_payment(
    api_network, hq_key, stripe_server
):
    response = api_client(key=hq_key).post(
        ORDERS, order_body(DELIVER_CAN, payment_token="pm_card_threeDSecure2Required"),
        format="json",
    )  # fmt: skip

    assert response.status_code == 201
    assert response.json()["status"] == "pending_payment"
