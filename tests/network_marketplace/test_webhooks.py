"""Outbound webhooks: the right endpoints get each event once, signed, after commit; failures
are retried with backoff; the end-to-end path runs through a real Celery worker on Redis."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from network_marketplace.models import OutboxMessage, WebhookDelivery, WebhookEndpoint
from network_marketplace.outbox import deliver_due_messages
from network_marketplace.webhooks import (
    InvalidWebhookEndpoint,
    TooManyWebhookEndpoints,
    create_endpoint,
    delete_endpoint,
    emit_event,
    signature_header,
    update_endpoint,
    verify_signature,
)

SECRET = "whsec_test_0123456789"
BODY = b'{"id":"evt_1","type":"order.created"}'


def _endpoint(store, url="https://erp.example.com/hooks", events=("*",), actor=None):
    return create_endpoint(store=store, url=url, event_types=list(events), actor=actor)


# --- Signatures -----------------------------------------------------------------------------


def test_signature_made_by_the_platform_is_verified_by_the_receivers_helper():
    header = signature_header(SECRET, BODY)

    assert header.startswith("t=")
    assert ",v1=" in header
    assert verify_signature(SECRET, header, BODY)


@pytest.mark.parametrize(
    ("secret", "header", "body"),
    [
        (SECRET, signature_header(SECRET, BODY), BODY + b" "),
        ("whsec_another", signature_header(SECRET, BODY), BODY),
        (SECRET, signature_header(SECRET, BODY, timestamp=int(time.time()) - 3600), BODY),
        (SECRET, signature_header(SECRET, BODY, timestamp=int(time.time()) + 3600), BODY),
        (SECRET, "", BODY),
        (SECRET, "v1=abc", BODY),
        (SECRET, "t=notanumber,v1=abc", BODY),
        (SECRET, signature_header(SECRET, BODY).split(",")[0], BODY),
    ],
    ids=[
        "tampered-body",
        "wrong-secret",
        "replayed-too-late",
        "from-the-future",
        "missing",
        "no-timestamp",
        "bad-timestamp",
        "no-signature",
    ],
)
def test_signature_check_refuses(secret, header, body):
    assert not verify_signature(secret, header, body)


def test_signature_check_accepts_one_matching_signature_among_several():
    timestamp = int(time.time())
    good = signature_header(SECRET, BODY, timestamp=timestamp)
    header = f"{good},v1={'0' * 64}"

    assert verify_signature(SECRET, header, BODY)
    assert verify_signature(SECRET, good, BODY, tolerance=0, now=timestamp + 10_000)


# --- Which endpoints get an event -----------------------------------------------------------


def test_event_goes_to_hq_endpoints_and_to_its_own_stores_endpoints_only(
    lyon_store, paris_store, hq_admin
):
    # Given an HQ endpoint, one for Lyon and one for Paris
    hq = _endpoint(None, "https://hq.example.com/hooks", actor=hq_admin).endpoint
    lyon = _endpoint(lyon_store, "https://pos.lyon.example/hooks").endpoint
    _endpoint(paris_store, "https://pos.paris.example/hooks")

    # When an event of the Lyon store is emitted
    deliveries = emit_event(
        event_type="order.created",
        store_id=lyon_store.pk,
        data={"order": 1},
        event_id="evt_order_1",
    )

    # Then HQ and Lyon get it, Paris does not
    assert {d.endpoint_id for d in deliveries} == {hq.pk, lyon.pk}
    assert OutboxMessage.objects.count() == 2
    assert set(OutboxMessage.objects.values_list("dedupe_key", flat=True)) == {
        f"webhook:evt_order_1:{hq.pk}",
        f"webhook:evt_order_1:{lyon.pk}",
    }


def test_a_network_event_goes_to_hq_endpoints_only(lyon_store):
    hq = _endpoint(None).endpoint
    _endpoint(lyon_store)

    deliveries = emit_event(
        event_type="order.created", store_id=None, data={}, event_id="evt_network"
    )

    assert [d.endpoint_id for d in deliveries] == [hq.pk]


def test_event_goes_only_to_active_endpoints_subscribed_to_its_type(lyon_store):
    everything = _endpoint(lyon_store, "https://a.example/h", events=["*"]).endpoint
    orders = _endpoint(lyon_store, "https://b.example/h", events=["order.created"]).endpoint
    _endpoint(lyon_store, "https://c.example/h", events=["fulfillment.shipped"])
    paused = _endpoint(lyon_store, "https://d.example/h", events=["*"]).endpoint
    update_endpoint(endpoint=paused, actor=None, active=False)

    deliveries = emit_event(
        event_type="order.created", store_id=lyon_store.pk, data={}, event_id="evt_2"
    )

    assert {d.endpoint_id for d in deliveries} == {everything.pk, orders.pk}


def test_emitting_the_same_event_twice_delivers_it_once_per_endpoint(lyon_store):
    endpoint = _endpoint(lyon_store).endpoint

    first = emit_event(event_type="order.created", store_id=lyon_store.pk, data={}, event_id="e3")
    again = emit_event(event_type="order.created", store_id=lyon_store.pk, data={}, event_id="e3")

    assert len(first) == 1
    assert again == []
    assert WebhookDelivery.objects.filter(endpoint=endpoint).count() == 1
    assert OutboxMessage.objects.count() == 1


def test_an_unknown_event_type_is_a_programming_error(lyon_store):
    with pytest.raises(ValueError, match="Unknown webhook event type"):
        emit_event(event_type="order.teleported", store_id=lyon_store.pk, data={}, event_id="x")


def test_event_of_a_transaction_that_rolls_back_is_never_sent(
    transactional_db, lyon_store, webhook_receiver
):
    receiver = webhook_receiver()
    _endpoint(lyon_store, receiver.url)

    def place_order():
        with transaction.atomic():
            emit_event(
                event_type="order.created", store_id=lyon_store.pk, data={}, event_id="evt_4"
            )
            raise RuntimeError("payment declined")

    with pytest.raises(RuntimeError):
        place_order()
    deliver_due_messages()

    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()


# --- Delivery -------------------------------------------------------------------------------


def test_delivery_posts_the_signed_event_and_logs_the_answer(lyon_store, webhook_receiver):
    # Given Lyon's till listening for orders
    receiver = webhook_receiver()
    created = _endpoint(lyon_store, receiver.url, events=["order.created"])
    receiver.secret = created.secret

    # When an order event is emitted and the worker delivers it
    [delivery] = emit_event(
        event_type="order.created",
        store_id=lyon_store.pk,
        data={
            "order": 42,
            "total_cents": 12990,
            "vat_rate": Decimal("20.0"),
            "placed_at": datetime(2026, 5, 4, 10, 30, tzinfo=UTC),
            "customer": "Léa",
        },
        event_id="evt_order_42",
    )
    report = deliver_due_messages()

    # Then the till got one POST: the event as JSON, signed, with its type and delivery id
    assert report.sent == 1
    [request] = receiver.requests
    assert request.path == "/hooks/network"
    assert request.signature_valid is True
    assert request.headers["Content-Type"] == "application/json; charset=utf-8"
    assert request.headers["X-Network-Event"] == "order.created"
    assert request.headers["X-Network-Delivery"] == str(delivery.pk)
    event = json.loads(request.body)
    assert set(event) == {"id", "type", "created_at", "store", "data"}
    assert event["id"] == "evt_order_42"
    assert event["type"] == "order.created"
    assert event["store"] == "lyon-presquile"
    assert datetime.fromisoformat(event["created_at"]) <= timezone.now()
    assert event["data"] == {
        "order": 42,
        "total_cents": 12990,
        "vat_rate": "20.0",
        "placed_at": "2026-05-04T10:30:00Z",
        "customer": "Léa",
    }

    # And the delivery log shows the answer
    delivery.refresh_from_db()
    assert delivery.state == "delivered"
    assert delivery.status_code == 200
    assert delivery.attempts == 1
    assert delivery.response_snippet == '{"ok": true}'
    assert delivery.duration_ms is not None


def test_receiver_error_is_retried_with_backoff_and_delivered_once(
    lyon_store, webhook_receiver, settings
):
    # Given a receiver that answers 500 first, then 200
    settings.OUTBOX_RETRY_BASE_SECONDS = 30
    receiver = webhook_receiver(statuses=[500, 200])
    created = _endpoint(lyon_store, receiver.url)
    receiver.secret = created.secret
    [delivery] = emit_event(
        event_type="fulfillment.shipped", store_id=lyon_store.pk, data={}, event_id="evt_5"
    )

    # When the worker delivers: the 500 schedules a retry 15 to 30 s later
    deliver_due_messages()
    delivery.refresh_from_db()
    message = delivery.message
    message.refresh_from_db()
    assert (delivery.state, delivery.status_code) == ("retrying", 500)
    assert message.status == OutboxMessage.Status.FAILED
    assert message.last_error == "WebhookDeliveryFailed: HTTP 500"
    assert deliver_due_messages().handled == 0  # not before its time

    # When the retry is due
    deliver_due_messages(now=message.next_attempt_at)
    deliver_due_messages(now=message.next_attempt_at)

    # Then it was delivered once, with the same delivery id and a fresh signature
    first, second = receiver.requests
    assert (first.status, second.status) == (500, 200)
    assert first.headers["X-Network-Delivery"] == second.headers["X-Network-Delivery"]
    assert first.body == second.body
    assert second.signature_valid
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.status_code) == ("delivered", 2, 200)


@pytest.mark.parametrize("status", [301, 404, 500], ids=["redirect", "not-found", "error"])
def test_an_answer_other_than_2xx_is_a_failure(lyon_store, webhook_receiver, status):
    receiver = webhook_receiver(statuses=[status])
    _endpoint(lyon_store, receiver.url)
    [delivery] = emit_event(
        event_type="order.created", store_id=lyon_store.pk, data={}, event_id="evt_6"
    )

    assert deliver_due_messages().retried == 1
    delivery.refresh_from_db()
    assert delivery.status_code == status
    assert delivery.delivered_at is None


def test_an_unreachable_receiver_is_retried(lyon_store, webhook_receiver):
    receiver = webhook_receiver()
    url = receiver.url
    receiver.stop()  # nobody listens on that port any more
    _endpoint(lyon_store, url)
    [delivery] = emit_event(
        event_type="order.created", store_id=lyon_store.pk, data={}, event_id="evt_7"
    )

    assert deliver_due_messages().retried == 1
    delivery.refresh_from_db()
    assert delivery.status_code is None
    assert "ConnectionError" in delivery.error


def test_an_event_for_an_endpoint_paused_meanwhile_goes_dead_and_can_be_retried(lyon_store):
    endpoint = _endpoint(lyon_store).endpoint
    [delivery] = emit_event(
        event_type="order.created", store_id=lyon_store.pk, data={}, event_id="evt_8"
    )
    update_endpoint(endpoint=endpoint, actor=None, active=False)

    assert deliver_due_messages().dead == 1
    delivery.refresh_from_db()
    assert delivery.state == "dead"
    assert delivery.message.last_error == "The webhook endpoint is disabled."


def test_removing_an_endpoint_drops_its_undelivered_events(lyon_store, hq_admin):
    endpoint = _endpoint(lyon_store).endpoint
    emit_event(event_type="order.created", store_id=lyon_store.pk, data={}, event_id="evt_9")

    delete_endpoint(endpoint=endpoint, actor=hq_admin)

    assert not WebhookEndpoint.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert deliver_due_messages().handled == 0


# --- Endpoint rules -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://erp.example.com/hooks",
        "https://127.0.0.1/hooks",
        "https://10.1.2.3/hooks",
        "https://[::1]/hooks",
        "https://localhost/hooks",
        "https://redis.internal/hooks",
        "ftp://erp.example.com/hooks",
    ],
)
def test_outside_the_embedded_profile_only_public_https_urls_are_accepted(
    lyon_store, settings, url
):
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = False

    with pytest.raises(InvalidWebhookEndpoint) as error:
        _endpoint(lyon_store, url)

    assert error.value.facts["field"] == "url"
    assert _endpoint(lyon_store, "https://erp.example.com/hooks").endpoint.pk


def test_a_delivery_to_a_private_address_is_refused_when_sent(
    lyon_store, settings, webhook_receiver
):
    receiver = webhook_receiver()
    _endpoint(lyon_store, receiver.url)
    emit_event(event_type="order.created", store_id=lyon_store.pk, data={}, event_id="evt_10")
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = False

    assert deliver_due_messages().dead == 1
    assert receiver.requests == []
    assert "private address" in OutboxMessage.objects.get().last_error


def test_unknown_event_types_are_refused(lyon_store):
    with pytest.raises(InvalidWebhookEndpoint, match=r"Événements inconnus\s: order\.teleported"):
        _endpoint(lyon_store, events=["order.teleported"])
    with pytest.raises(InvalidWebhookEndpoint, match="au moins un événement"):
        _endpoint(lyon_store, events=[])


def test_a_store_has_at_most_ten_endpoints(lyon_store):
    for n in range(10):
        _endpoint(lyon_store, f"https://erp.example.com/hooks/{n}")

    with pytest.raises(TooManyWebhookEndpoints):
        _endpoint(lyon_store, "https://erp.example.com/hooks/11")


# --- Through a real Celery worker on Redis --------------------------------------------------


@pytest.fixture
def celery_worker_env():
    """The worker retries after half a second and may call the test's local receiver."""
    return {"OUTBOX_RETRY_BASE_SECONDS": "0.5", "WEBHOOK_ALLOW_PRIVATE_NETWORKS": "true"}


def _wait_until_delivered(delivery: WebhookDelivery, timeout: float = 30) -> WebhookDelivery:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        delivery.refresh_from_db()
        if delivery.delivered_at is not None:
            return delivery
        time.sleep(0.1)
    pytest.fail(f"not delivered within {timeout} s: {delivery.error or delivery.status_code}")


@pytest.mark.xdist_group("celery-worker")
def test_worker_delivers_a_committed_event_once_with_a_valid_signature(
    celery_worker, lyon_store, lyon_owner, webhook_receiver
):
    # Given Lyon's ERP listening for orders
    receiver = webhook_receiver()
    created = _endpoint(lyon_store, receiver.url, events=["order.created"], actor=lyon_owner)
    receiver.secret = created.secret

    # When an order is placed: the event is written in the order's transaction
    with transaction.atomic():
        [delivery] = emit_event(
            event_type="order.created",
            store_id=lyon_store.pk,
            data={"order": 77, "total_cents": 4590},
            event_id="evt_order_77",
        )

    # Then the worker process delivered it after commit, signed, once
    delivery = _wait_until_delivered(delivery)
    [request] = receiver.wait_for(1)
    assert request.signature_valid is True
    assert json.loads(request.body)["data"] == {"order": 77, "total_cents": 4590}
    assert delivery.message.status == OutboxMessage.Status.SENT
    time.sleep(1.0)
    assert len(receiver.requests) == 1


@pytest.mark.xdist_group("celery-worker")
def test_worker_retries_a_receiver_that_failed_and_delivers_once(
    celery_worker, lyon_store, webhook_receiver
):
    # Given a receiver that answers 500, then 200
    receiver = webhook_receiver(statuses=[500, 200])
    created = _endpoint(lyon_store, receiver.url, events=["fulfillment.accepted"])
    receiver.secret = created.secret

    # When a fulfilment is accepted
    with transaction.atomic():
        [delivery] = emit_event(
            event_type="fulfillment.accepted",
            store_id=lyon_store.pk,
            data={"fulfillment": 5},
            event_id="evt_ff_5_accepted",
        )

    # Then the worker retried on its own after the backoff, and the event arrived once
    delivery = _wait_until_delivered(delivery)
    first, second = receiver.wait_for(2)
    assert (first.status, second.status) == (500, 200)
    assert first.signature_valid
    assert second.signature_valid
    assert first.headers["X-Network-Delivery"] == second.headers["X-Network-Delivery"]
    assert (delivery.attempts, delivery.status_code) == (2, 200)
    message = delivery.message
    assert (message.status, message.attempts) == (OutboxMessage.Status.SENT, 2)
    time.sleep(1.5)
    assert len(receiver.requests) == 2


@pytest.mark.xdist_group("celery-worker")
def test_event_of_a_worker_killed_mid_delivery_is_delivered_after_its_lease(
    celery_worker, lyon_store, webhook_receiver
):
    # Given a receiver slow to answer the first request, and a worker delivering to it
    receiver = webhook_receiver(delays=[10])
    created = _endpoint(lyon_store, receiver.url, events=["order.created"])
    receiver.secret = created.secret
    with transaction.atomic():
        [delivery] = emit_event(
            event_type="order.created", store_id=lyon_store.pk, data={}, event_id="evt_kill"
        )
    receiver.wait_for(1)

    # When the worker is killed (SIGKILL) while it waits for the answer
    celery_worker.process.kill()
    celery_worker.process.wait(timeout=10)

    # Then the message stays claimed until its lease runs out: no one else sends it meanwhile
    message = OutboxMessage.objects.get(pk=delivery.message_id)
    assert (message.status, message.attempts) == (OutboxMessage.Status.PENDING, 1)
    assert message.locked_until > timezone.now()
    assert deliver_due_messages().handled == 0

    # When the lease has run out, the next sweep delivers it, once, with the same delivery id
    assert deliver_due_messages(now=message.locked_until).sent == 1
    first, second = receiver.wait_for(2)
    assert first.headers["X-Network-Delivery"] == second.headers["X-Network-Delivery"]
    assert second.signature_valid is True
    delivery.refresh_from_db()
    message.refresh_from_db()
    assert delivery.state == "delivered"
    assert (message.status, message.attempts) == (OutboxMessage.Status.SENT, 2)
    assert deliver_due_messages(now=timezone.now() + timedelta(hours=1)).handled == 0
