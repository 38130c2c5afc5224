"""A store's POS serves its orders through /api/v1/stores/<store>/fulfilments/: it polls the
new ones, accepts, picks, makes them ready, hands them over on the customer's code, ships, or
records a reservation's outcome; each step answers with the new state and sends its webhook."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from checkout.services import CheckoutLine, CustomerDetails, place_order
from fulfillment.models import Fulfilment, FulfilmentEvent
from fulfillment.services import (
    accept_fulfilment,
    mark_picked,
    mark_ready_for_pickup,
    reissue_pickup_code,
)
from network_marketplace.models import OutboxMessage, WebhookDelivery
from network_marketplace.webhooks import create_endpoint
from orders.models import FulfilmentMethod, OrderPolicy
from stores.models import StockLevel
from tests.api_clients import api_client
from tests.factories import StockLevelFactory, VariantFactory

from .conftest import make_fulfilment

S = Fulfilment.Status


def url(store, fulfilment=None, step=""):
    base = f"/api/v1/stores/{store.slug}/fulfilments/"
    if fulfilment is None:
        return base
    return f"{base}{fulfilment.pk}/" + (f"{step}/" if step else "")


@pytest.fixture
def pos(lyon_key):
    return api_client(key=lyon_key)


@pytest.fixture
def pos_webhook(lyon_store, lyon_owner):
    """Lyon's POS follows every event of its store."""
    return create_endpoint(
        store=lyon_store, url="https://pos.example.com/hooks", event_types=["*"], actor=lyon_owner
    ).endpoint


def sent_events(endpoint) -> list[str]:
    return list(
        WebhookDelivery.objects.filter(endpoint=endpoint)
        .order_by("created_at", "event_type")
        .values_list("event_type", flat=True)
    )


# Reading the queue ---------------------------------------------------------------------------


def test_the_pos_lists_what_its_store_serves_with_what_it_needs(pos, lyon_store, paris_store):
    mine = make_fulfilment(store=lyon_store, method=FulfilmentMethod.HOME_DELIVERY, quantity=2)
    make_fulfilment(store=paris_store)

    response = pos.get(url(lyon_store))

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    found = body["results"][0]
    assert found["id"] == mine.pk
    assert found["order"]["number"] == mine.order.number
    assert found["status"] == S.AWAITING_ACCEPTANCE
    assert found["allowed_actions"] == ["accept", "reject"]
    assert found["lines"][0]["quantity"] == 2
    assert found["shipping_address"]["name"] == "Léa Martin"


def test_the_pos_polls_by_status_and_last_change(pos, lyon_store, lyon_owner):
    waiting = make_fulfilment(store=lyon_store)
    accepted = make_fulfilment(store=lyon_store)
    accept_fulfilment(fulfilment=accepted, actor=lyon_owner)
    Fulfilment.objects.filter(pk=waiting.pk).update(updated_at=timezone.now() - timedelta(hours=2))
    since = (timezone.now() - timedelta(hours=1)).isoformat()

    by_status = pos.get(url(lyon_store), {"status": "awaiting_acceptance"}).json()
    by_statuses = pos.get(url(lyon_store), {"status": "awaiting_acceptance,accepted"}).json()
    changed = pos.get(url(lyon_store), {"updated_since": since}).json()

    assert [f["id"] for f in by_status["results"]] == [waiting.pk]
    assert [f["id"] for f in by_statuses["results"]] == [waiting.pk, accepted.pk]
    assert [f["id"] for f in changed["results"]] == [accepted.pk]


@pytest.mark.parametrize(
    "query",
    [{"status": "lost"}, {"updated_since": "yesterday"}, {"method": "drone"}],
    ids=["status", "updated_since", "method"],
)
def test_a_bad_filter_is_a_400_naming_the_field(pos, lyon_store, query):
    response = pos.get(url(lyon_store), query)

    assert response.status_code == 400
    assert set(response.json()["fields"]) == set(query)


def test_the_list_costs_the_same_queries_for_3_or_30_fulfilments(
    pos, lyon_store, django_assert_max_num_queries
):
    for _ in range(3):
        make_fulfilment(store=lyon_store)
    with django_assert_max_num_queries(9) as few:
        assert pos.get(url(lyon_store)).status_code == 200
    for _ in range(27):
        make_fulfilment(store=lyon_store, quantity=2)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = pos.get(url(lyon_store))

    assert response.json()["count"] == 30


# The steps -----------------------------------------------------------------------------------


def test_click_and_collect_through_the_api_sends_each_webhook(
    pos, lyon_store, lyon_owner, pos_webhook, click_collect
):
    assert pos.post(url(lyon_store, click_collect, "accept")).json()["status"] == S.ACCEPTED
    assert pos.post(url(lyon_store, click_collect, "picked")).json()["status"] == S.PICKED
    ready = pos.post(url(lyon_store, click_collect, "ready")).json()
    code = reissue_pickup_code(fulfilment=click_collect, actor=lyon_owner).pickup_code

    handed = pos.post(url(lyon_store, click_collect, "handover"), {"code": code}, format="json")

    assert (ready["status"], ready["pickup_code_attempts_left"]) == (S.READY_FOR_PICKUP, 5)
    assert "pickup_code" not in ready
    assert handed.status_code == 200
    assert handed.json()["status"] == S.COLLECTED
    assert handed.json()["allowed_actions"] == []
    assert [event["to_status"] for event in handed.json()["events"]] == [
        S.ACCEPTED, S.PICKED, S.READY_FOR_PICKUP, S.COLLECTED,
    ]  # fmt: skip
    assert handed.json()["events"][0]["actor"].startswith("api-key:")
    assert sent_events(pos_webhook) == [
        "fulfillment.accepted", "fulfillment.picked", "fulfillment.ready",
        "fulfillment.handed_over",
    ]  # fmt: skip
    assert OutboxMessage.objects.filter(kind="webhook").count() == 4


def test_home_delivery_ships_with_its_tracking_number(
    pos, lyon_store, lyon_owner, pos_webhook, home_delivery
):
    accept_fulfilment(fulfilment=home_delivery, actor=lyon_owner)
    mark_picked(fulfilment=home_delivery, actor=lyon_owner)

    response = pos.post(
        url(lyon_store, home_delivery, "ship"),
        {"carrier": "Colissimo", "tracking_number": "6A12345678901"},
        format="json",
    )

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["tracking_number"]) == (
        S.SHIPPED,
        "6A12345678901",
    )
    assert sent_events(pos_webhook)[-1] == "fulfillment.shipped"
    delivery = WebhookDelivery.objects.get(endpoint=pos_webhook, event_type="fulfillment.shipped")
    event = delivery.message.payload["event"]
    assert (event["store"], event["data"]["tracking_number"]) == (lyon_store.slug, "6A12345678901")


def test_shipping_without_a_tracking_number_is_a_400_and_ships_nothing(
    pos, lyon_store, lyon_owner, home_delivery
):
    accept_fulfilment(fulfilment=home_delivery, actor=lyon_owner)
    mark_picked(fulfilment=home_delivery, actor=lyon_owner)

    response = pos.post(
        url(lyon_store, home_delivery, "ship"), {"carrier": "Colissimo"}, format="json"
    )

    assert response.status_code == 400
    assert "tracking_number" in response.json()["fields"]
    home_delivery.refresh_from_db()
    assert home_delivery.status == S.PICKED


@pytest.mark.parametrize(
    ("purchased", "status", "event"),
    [
        (True, S.PURCHASED_IN_STORE, "fulfillment.purchased_in_store"),
        (False, S.NOT_PURCHASED, "fulfillment.not_purchased"),
    ],
    ids=["bought", "not-bought"],
)
def test_the_store_records_whether_a_reserved_item_was_bought(
    pos, lyon_store, lyon_owner, pos_webhook, reserve_collect, purchased, status, event
):
    accept_fulfilment(fulfilment=reserve_collect, actor=lyon_owner)
    mark_picked(fulfilment=reserve_collect, actor=lyon_owner)
    mark_ready_for_pickup(fulfilment=reserve_collect, actor=lyon_owner)

    response = pos.post(
        url(lyon_store, reserve_collect, "outcome"), {"purchased": purchased}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["status"] == status
    assert sent_events(pos_webhook)[-1] == event


def test_rejecting_needs_a_reason_then_gives_the_held_stock_back(
    pos, lyon_store, pos_webhook, customer
):
    secateur = VariantFactory(rrp_cents=2990)
    StockLevelFactory(store=lyon_store, variant=secateur, on_hand=3)
    order = place_order(
        customer=CustomerDetails(email="lea@example.com", first_name="Léa", last_name="Martin"),
        lines=[CheckoutLine(secateur, 2, FulfilmentMethod.CLICK_COLLECT, lyon_store)],
        actor="storefront",
    )
    fulfilment = order.fulfilments.get()

    no_reason = pos.post(url(lyon_store, fulfilment, "reject"), {"reason": "  "}, format="json")
    rejected = pos.post(
        url(lyon_store, fulfilment, "reject"), {"reason": "Article abîmé."}, format="json"
    )

    assert no_reason.status_code == 400
    assert "reason" in no_reason.json()["fields"]
    assert rejected.status_code == 200
    assert (rejected.json()["status"], rejected.json()["rejection_reason"]) == (
        S.REJECTED,
        "Article abîmé.",
    )
    assert StockLevel.objects.get(store=lyon_store, variant=secateur).reserved == 0
    assert "fulfillment.rejected" in sent_events(pos_webhook)


def test_a_step_the_state_does_not_allow_is_a_409_that_says_why(
    pos, lyon_store, click_collect, pos_webhook
):
    response = pos.post(url(lyon_store, click_collect, "ready"))

    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "illegal_transition"
    assert "Prête à retirer" in body["detail"]
    assert body["facts"] == {"current": S.AWAITING_ACCEPTANCE, "target": S.READY_FOR_PICKUP}
    click_collect.refresh_from_db()
    assert click_collect.status == S.AWAITING_ACCEPTANCE
    assert sent_events(pos_webhook) == []


def test_shipping_a_click_and_collect_order_is_a_409(pos, lyon_store, lyon_owner, click_collect):
    accept_fulfilment(fulfilment=click_collect, actor=lyon_owner)
    mark_picked(fulfilment=click_collect, actor=lyon_owner)

    response = pos.post(
        url(lyon_store, click_collect, "ship"),
        {"carrier": "Colissimo", "tracking_number": "6A1"},
        format="json",
    )

    assert response.status_code == 409
    assert response.json()["code"] == "illegal_transition"


def test_a_retried_step_answers_the_same_without_a_second_event(
    pos, lyon_store, click_collect, pos_webhook
):
    first = pos.post(url(lyon_store, click_collect, "accept"))
    again = pos.post(url(lyon_store, click_collect, "accept"))

    assert first.status_code == again.status_code == 200
    assert first.json()["status"] == again.json()["status"] == S.ACCEPTED
    assert FulfilmentEvent.objects.filter(fulfilment=click_collect).count() == 1
    assert sent_events(pos_webhook) == ["fulfillment.accepted"]


# The pickup code -----------------------------------------------------------------------------


def test_wrong_pickup_codes_count_down_then_void_the_code(
    pos, lyon_store, lyon_owner, click_collect
):
    OrderPolicy.objects.update_or_create(pk=1, defaults={"pickup_code_attempts": 3})
    accept_fulfilment(fulfilment=click_collect, actor=lyon_owner)
    mark_picked(fulfilment=click_collect, actor=lyon_owner)
    code = mark_ready_for_pickup(fulfilment=click_collect, actor=lyon_owner).pickup_code
    wrong = "000000" if code != "000000" else "111111"
    handover = url(lyon_store, click_collect, "handover")

    answers = [pos.post(handover, {"code": wrong}, format="json") for _ in range(3)]
    void = pos.post(handover, {"code": code}, format="json")

    assert [answer.status_code for answer in answers] == [400, 400, 400]
    assert [answer.json()["attempts_left"] for answer in answers] == [2, 1, 0]
    assert answers[0].json()["code"] == "wrong_pickup_code"
    assert "code" in answers[0].json()["fields"]
    assert void.status_code == 409
    assert (void.json()["code"], void.json()["attempts_left"]) == ("pickup_code_void", 0)
    click_collect.refresh_from_db()
    assert click_collect.status == S.READY_FOR_PICKUP


def test_the_pickup_code_may_be_typed_with_spaces(pos, lyon_store, lyon_owner, click_collect):
    accept_fulfilment(fulfilment=click_collect, actor=lyon_owner)
    mark_picked(fulfilment=click_collect, actor=lyon_owner)
    code = mark_ready_for_pickup(fulfilment=click_collect, actor=lyon_owner).pickup_code

    response = pos.post(
        url(lyon_store, click_collect, "handover"),
        {"code": f"{code[:3]} {code[3:]}"},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["status"] == S.COLLECTED


def test_a_pickup_code_that_is_not_digits_is_a_400_without_counting(
    pos, lyon_store, lyon_owner, click_collect
):
    accept_fulfilment(fulfilment=click_collect, actor=lyon_owner)
    mark_picked(fulfilment=click_collect, actor=lyon_owner)
    mark_ready_for_pickup(fulfilment=click_collect, actor=lyon_owner)

    response = pos.post(url(lyon_store, click_collect, "handover"), {"code": "abc"}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    click_collect.refresh_from_db()
    assert click_collect.pickup_code_failures == 0


@pytest.mark.parametrize("fulfilment_id", ["abc", "99999999999999999999", "-1"])
def test_a_malformed_fulfilment_id_is_a_404(pos, lyon_store, fulfilment_id):
    response = pos.post(f"/api/v1/stores/{lyon_store.slug}/fulfilments/{fulfilment_id}/accept/")

    assert response.status_code == 404
