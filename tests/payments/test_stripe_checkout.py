"""A checkout paid through the stripe_connect provider (the SDK against our local Stripe
server): paid, declined, down, and pending until the webhook or the sweeper settles it."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from checkout.services import CheckoutLine, place_order, settle_abandoned_checkouts
from fulfillment.models import Fulfilment
from network_marketplace.outbox import deliver_due_messages
from orders.models import FulfilmentMethod, Order
from payments.models import Payment, Refund
from payments.services import PENDING_CHARGE_PATIENCE, PaymentDeclined, PaymentUnavailable
from stores.models import Reservation, StockLevel
from tests.factories import StockLevelFactory, VariantFactory

from .test_checkout_payment import LEA

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def secateur(lyon_store):
    variant = VariantFactory(rrp_cents=2990)
    StockLevelFactory(store=lyon_store, variant=variant, on_hand=1, price_cents=None)
    return variant


def checkout(store, variant, token="tok_visa"):  # noqa: S107 (a test card token)
    return place_order(
        customer=LEA,
        lines=[CheckoutLine(variant, 1, FulfilmentMethod.CLICK_COLLECT, store)],
        actor="storefront",
        payment_token=token,
    )


def available(store, variant):
    return StockLevel.objects.get(store=store, variant=variant).available


def age(order, minutes):
    past = timezone.now() - timedelta(minutes=minutes)
    Order.objects.filter(pk=order.pk).update(created_at=past)
    Reservation.objects.filter(kind=Reservation.Kind.CHECKOUT).update(
        expires_at=past + timedelta(minutes=15)
    )


def webhook(client, server, event_type, intent_id):
    event = server.event(event_type, server.objects[intent_id], created=int(time.time()))
    body, signature = server.signed_event(event)
    response = client.post(
        "/payments/stripe/webhook/", data=body, content_type="application/json",
        HTTP_STRIPE_SIGNATURE=signature,
    )  # fmt: skip
    assert response.status_code == 200
    deliver_due_messages()


def test_an_order_paid_through_stripe_is_one_payment_intent_grouped_by_its_number(
    stripe_server, lyon_store, secateur
):
    order = checkout(lyon_store, secateur)

    payment = order.payments.get()
    assert order.status == Order.Status.PLACED
    assert (payment.provider, payment.status) == ("stripe_connect", Payment.Status.SUCCEEDED)
    intent = stripe_server.objects[payment.reference]
    assert (intent["amount"], intent["transfer_group"]) == (2990, order.number)
    assert intent["metadata"] == {"idempotency_key": f"order:{order.pk}:charge"}
    assert stripe_server.calls[0].idempotency_key == f"order:{order.pk}:charge"


def test_a_declined_card_leaves_no_order_in_a_paid_state(stripe_server, lyon_store, secateur):
    with pytest.raises(PaymentDeclined):
        checkout(lyon_store, secateur, token="tok_decline")

    order = Order.objects.get()
    assert order.status == Order.Status.CANCELLED
    assert order.payments.get().status == Payment.Status.FAILED
    assert order.payments.get().failure_message == "Your card was declined."
    assert not Fulfilment.objects.for_store(lyon_store).exists()
    assert available(lyon_store, secateur) == 1


def test_stripe_down_at_checkout_orders_nothing_and_says_so(stripe_server, lyon_store, secateur):
    stripe_server.fail_next(500)

    with pytest.raises(PaymentUnavailable) as unavailable:
        checkout(lyon_store, secateur)

    assert unavailable.value.http_status == 503
    assert Order.objects.get().status == Order.Status.CANCELLED
    assert available(lyon_store, secateur) == 1


def test_a_refund_of_a_stripe_order_goes_to_stripe_through_the_outbox(
    stripe_server, lyon_store, secateur
):
    from payments.services import refund_payment

    order = checkout(lyon_store, secateur)
    refund_payment(order=order, amount_cents=990, reason="geste", idempotency_key="k", actor=None)
    deliver_due_messages()

    refund = Refund.objects.get()
    assert refund.status == Refund.Status.SUCCEEDED
    assert stripe_server.objects[refund.reference]["amount"] == 990


def test_a_pending_payment_leaves_the_order_waiting_with_its_stock_held(
    stripe_server, lyon_store, secateur
):
    order = checkout(lyon_store, secateur, token="tok_delayed")

    assert order.status == Order.Status.PENDING_PAYMENT
    assert order.payments.get().status == Payment.Status.PENDING
    assert available(lyon_store, secateur) == 0
    assert not Fulfilment.objects.for_store(lyon_store).exclude(accept_deadline=None).exists()


def test_a_pending_payment_is_settled_by_stripes_webhook(
    client, stripe_server, lyon_store, secateur
):
    order = checkout(lyon_store, secateur, token="tok_delayed")
    intent = order.payments.get().reference
    stripe_server.complete_intent(intent)

    webhook(client, stripe_server, "payment_intent.succeeded", intent)
    webhook(client, stripe_server, "payment_intent.succeeded", intent)  # a second delivery

    order.refresh_from_db()
    assert order.status == Order.Status.PLACED
    assert order.payments.get().status == Payment.Status.SUCCEEDED
    assert order.events.filter(to_status=Order.Status.PLACED).count() == 1


def test_a_pending_payment_that_fails_cancels_its_order_and_frees_the_stock(
    client, stripe_server, lyon_store, secateur
):
    order = checkout(lyon_store, secateur, token="tok_delayed")
    intent = order.payments.get().reference
    stripe_server.complete_intent(intent, succeed=False)

    webhook(client, stripe_server, "payment_intent.payment_failed", intent)

    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert order.payments.get().status == Payment.Status.FAILED
    assert available(lyon_store, secateur) == 1


def test_the_sweeper_asks_stripe_before_cancelling_a_pending_checkout(
    stripe_server, lyon_store, secateur
):
    order = checkout(lyon_store, secateur, token="tok_delayed")
    stripe_server.complete_intent(order.payments.get().reference)  # no webhook came
    age(order, minutes=20)

    assert settle_abandoned_checkouts() == 1

    order.refresh_from_db()
    assert order.status == Order.Status.PLACED
    assert stripe_server.calls[-1].method == "GET"


def test_the_sweeper_waits_for_a_payment_still_pending_at_the_bank(
    stripe_server, lyon_store, secateur
):
    order = checkout(lyon_store, secateur, token="tok_delayed")
    age(order, minutes=20)

    assert settle_abandoned_checkouts() == 0
    assert Order.objects.get().status == Order.Status.PENDING_PAYMENT


def test_the_sweeper_tries_again_later_when_stripe_is_down(stripe_server, lyon_store, secateur):
    order = checkout(lyon_store, secateur, token="tok_delayed")
    age(order, minutes=20)
    stripe_server.fail_next(500)

    assert settle_abandoned_checkouts() == 0
    assert Order.objects.get().status == Order.Status.PENDING_PAYMENT


def test_a_payment_pending_too_long_is_given_up_and_refunded_if_it_succeeds_later(
    client, stripe_server, lyon_store, secateur
):
    order = checkout(lyon_store, secateur, token="tok_delayed")
    age(order, minutes=PENDING_CHARGE_PATIENCE.total_seconds() / 60 + 1)

    assert settle_abandoned_checkouts() == 1
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED

    intent = order.payments.get().reference
    stripe_server.complete_intent(intent)
    webhook(client, stripe_server, "payment_intent.succeeded", intent)

    refund = Refund.objects.get(order=order)
    assert (refund.amount_cents, refund.status) == (2990, Refund.Status.SUCCEEDED)
    assert stripe_server.objects[intent]["status"] == "succeeded"
    assert stripe_server.of_type("refund")[0]["amount"] == 2990
