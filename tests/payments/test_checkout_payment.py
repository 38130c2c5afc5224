"""Paying at checkout and refunding, through the provider interface (the dummy provider)."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from checkout.services import (
    CheckoutLine,
    CustomerDetails,
    NoLongerAvailable,
    place_order,
    settle_abandoned_checkouts,
)
from fulfillment.models import Fulfilment
from network_marketplace.outbox import deliver_due_messages
from orders.models import FulfilmentMethod, Order
from payments import providers
from payments.models import Payment, Refund
from payments.services import PaymentDeclined, refund_payment, take_payment
from stores.models import Reservation, StockLevel
from stores.services import reserve_stock
from tests.factories import StockLevelFactory, VariantFactory

LEA = CustomerDetails(
    email="lea@example.com", first_name="Léa", last_name="Martin",
    address_line="3 rue Mercière", postal_code="69002", city="Lyon",
)  # fmt: skip


@pytest.fixture
def secateur(db):
    return VariantFactory(rrp_cents=2990)


@pytest.fixture
def gloves(db):
    return VariantFactory(rrp_cents=1500)


@pytest.fixture(autouse=True)
def locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


class ProviderDown(providers.DummyProvider):
    """A provider that cannot be reached: the process never learns the payment's outcome."""

    name = "down"

    def charge(self, **kwargs):
        raise ConnectionError("provider unreachable")


@pytest.fixture
def provider_down(settings, monkeypatch):
    monkeypatch.setitem(providers.PROVIDERS, "down", ProviderDown)
    settings.PAYMENT_PROVIDER = "down"


def level(store, variant):
    return StockLevel.objects.get(store=store, variant=variant)


def checkout_while_the_provider_is_down(store, variant, on_hand=1) -> Order:
    """A checkout whose payment call fails: the order stays awaiting payment, its hold taken."""
    StockLevelFactory(store=store, variant=variant, on_hand=on_hand)
    with pytest.raises(ConnectionError):
        place_order(
            customer=LEA,
            lines=[CheckoutLine(variant, 1, FulfilmentMethod.CLICK_COLLECT, store)],
            actor="storefront",
        )
    return Order.objects.get()


def test_the_order_is_charged_online_except_its_reserve_and_collect_lines(
    lyon_store, secateur, gloves
):
    StockLevelFactory(store=lyon_store, variant=secateur, on_hand=3, price_cents=None)
    StockLevelFactory(store=lyon_store, variant=gloves, on_hand=3, price_cents=None)

    order = place_order(
        customer=LEA,
        lines=[
            CheckoutLine(secateur, 1, FulfilmentMethod.CLICK_COLLECT, lyon_store),
            CheckoutLine(gloves, 2, FulfilmentMethod.RESERVE_COLLECT, lyon_store),
        ],
        actor="storefront",
        payment_token="tok_visa",
    )

    payment = order.payments.get()
    assert order.status == Order.Status.PLACED
    assert (order.total_cents, order.online_payment_cents) == (2990 + 3000, 2990)
    assert (payment.status, payment.amount_cents, payment.provider) == (
        Payment.Status.SUCCEEDED, 2990, "dummy",
    )  # fmt: skip
    assert payment.reference.startswith("dummy_ch_")
    reserve = Reservation.objects.get(variant=gloves, status=Reservation.Status.ACTIVE)
    assert reserve.kind == Reservation.Kind.RESERVE_COLLECT
    assert reserve.expires_at is not None


def test_a_reserve_and_collect_order_takes_no_online_payment(lyon_store, gloves):
    StockLevelFactory(store=lyon_store, variant=gloves, on_hand=3)

    order = place_order(
        customer=LEA,
        lines=[CheckoutLine(gloves, 1, FulfilmentMethod.RESERVE_COLLECT, lyon_store)],
        actor="storefront",
        payment_token="tok_decline",  # never used: nothing is charged
    )

    assert order.status == Order.Status.PLACED
    assert order.online_payment_cents == 0
    assert not order.payments.exists()


def test_a_declined_payment_orders_nothing_and_gives_the_stock_back(lyon_store, secateur):
    StockLevelFactory(store=lyon_store, variant=secateur, on_hand=1)

    with pytest.raises(PaymentDeclined) as declined:
        place_order(
            customer=LEA,
            lines=[CheckoutLine(secateur, 1, FulfilmentMethod.CLICK_COLLECT, lyon_store)],
            actor="storefront",
            payment_token="tok_decline",
        )

    assert declined.value.http_status == 402
    assert "refusé" in declined.value.message
    order = Order.objects.get()
    assert (order.status, order.placed_at) == (Order.Status.CANCELLED, None)
    assert order.payments.get().status == Payment.Status.FAILED
    assert not Fulfilment.objects.for_store(lyon_store).exists()
    assert level(lyon_store, secateur).available == 1
    deliver_due_messages()
    assert mail.outbox == []  # no confirmation, no refund: nothing was charged

    # The next customer buys the unit.
    place_order(
        customer=LEA,
        lines=[CheckoutLine(secateur, 1, FulfilmentMethod.CLICK_COLLECT, lyon_store)],
        actor="storefront",
    )
    assert level(lyon_store, secateur).available == 0


def test_an_order_awaiting_payment_is_not_shown_to_the_store(lyon_store, secateur, provider_down):
    order = checkout_while_the_provider_is_down(lyon_store, secateur, on_hand=2)

    assert order.status == Order.Status.PENDING_PAYMENT
    assert not Fulfilment.objects.for_store(lyon_store).exists()
    hold = Reservation.objects.get(status=Reservation.Status.ACTIVE)
    assert hold.kind == Reservation.Kind.CHECKOUT
    assert level(lyon_store, secateur).available == 1


def _age(order, minutes):
    """The order's checkout started `minutes` ago, and its holds expired accordingly."""
    past = timezone.now() - timedelta(minutes=minutes)
    Order.objects.filter(pk=order.pk).update(created_at=past)
    Reservation.objects.filter(kind=Reservation.Kind.CHECKOUT).update(
        expires_at=past + timedelta(minutes=15)
    )


def test_an_unpaid_checkout_is_cancelled_by_the_sweeper_and_its_stock_freed(
    lyon_store, secateur, provider_down
):
    order = checkout_while_the_provider_is_down(lyon_store, secateur)
    _age(order, 20)

    assert settle_abandoned_checkouts() == 1
    assert settle_abandoned_checkouts() == 0

    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert level(lyon_store, secateur).available == 1
    assert not Reservation.objects.filter(status=Reservation.Status.ACTIVE).exists()


def test_a_checkout_paid_before_the_process_died_is_placed_by_the_sweeper(
    lyon_store, secateur, provider_down, settings
):
    order = checkout_while_the_provider_is_down(lyon_store, secateur)
    settings.PAYMENT_PROVIDER = "dummy"
    take_payment(order=order, payment_token="tok_visa")  # the charge went through after all
    _age(order, 20)

    settle_abandoned_checkouts()

    order.refresh_from_db()
    assert order.status == Order.Status.PLACED
    assert Fulfilment.objects.for_store(lyon_store).get().accept_deadline is not None
    assert level(lyon_store, secateur).reserved == 1
    assert not order.refunds.exists()


def test_a_paid_checkout_whose_stock_went_meanwhile_is_cancelled_and_refunded(
    lyon_store, secateur, provider_down, settings
):
    order = checkout_while_the_provider_is_down(lyon_store, secateur)
    settings.PAYMENT_PROVIDER = "dummy"
    take_payment(order=order, payment_token="tok_visa")
    _age(order, 20)
    # Another customer took the unit once the first hold had expired.
    reserve_stock(
        store=lyon_store, variant=secateur, quantity=1, holder="cart:other",
        kind=Reservation.Kind.CHECKOUT, ttl=timedelta(minutes=15), actor="storefront",
    )  # fmt: skip

    settle_abandoned_checkouts()

    order.refresh_from_db()
    refund = order.refunds.get()
    assert order.status == Order.Status.CANCELLED
    assert refund.amount_cents == order.online_payment_cents
    deliver_due_messages()
    refund.refresh_from_db()
    assert refund.status == Refund.Status.SUCCEEDED
    assert [message.to for message in mail.outbox] == [["lea@example.com"]]
    assert "remboursé" in mail.outbox[0].subject


def test_the_sweeper_does_not_touch_a_checkout_whose_hold_still_runs(
    lyon_store, secateur, provider_down
):
    checkout_while_the_provider_is_down(lyon_store, secateur)

    assert settle_abandoned_checkouts() == 0
    assert Order.objects.get().status == Order.Status.PENDING_PAYMENT


@pytest.fixture
def paid_order(lyon_store, secateur):
    StockLevelFactory(store=lyon_store, variant=secateur, on_hand=5, price_cents=None)
    return place_order(
        customer=LEA,
        lines=[CheckoutLine(secateur, 2, FulfilmentMethod.CLICK_COLLECT, lyon_store)],
        actor="storefront",
    )


def test_refunds_are_capped_at_what_was_paid_and_idempotent(paid_order):
    first = refund_payment(
        order=paid_order, amount_cents=2990, reason="Article manquant",
        idempotency_key="line:1", actor="hq",
    )  # fmt: skip
    again = refund_payment(
        order=paid_order, amount_cents=2990, reason="Article manquant",
        idempotency_key="line:1", actor="hq",
    )  # fmt: skip
    rest = refund_payment(
        order=paid_order, amount_cents=10_000, reason="Annulation",
        idempotency_key="order:all", actor="hq",
    )  # fmt: skip
    nothing_left = refund_payment(
        order=paid_order, amount_cents=100, reason="Geste", idempotency_key="gesture", actor="hq"
    )

    assert again == first
    assert (first.amount_cents, rest.amount_cents, nothing_left) == (2990, 2990, None)
    payment = paid_order.payments.get()
    assert (payment.refunded_cents, payment.refundable_cents) == (5980, 0)

    deliver_due_messages()
    assert set(Refund.objects.values_list("status", flat=True)) == {Refund.Status.SUCCEEDED}
    refund_mails = [message for message in mail.outbox if "rembours" in message.subject]
    assert len(refund_mails) == 2  # one e-mail per refund, none for the repeated call
    assert "remboursons 29,90" in refund_mails[0].body


@pytest.mark.django_db(transaction=True)
def test_concurrent_refunds_never_give_back_more_than_was_paid(lyon_store, secateur):
    StockLevelFactory(store=lyon_store, variant=secateur, on_hand=5, price_cents=None)
    order = place_order(
        customer=LEA,
        lines=[CheckoutLine(secateur, 2, FulfilmentMethod.CLICK_COLLECT, lyon_store)],
        actor="storefront",
    )
    barrier, results = threading.Barrier(6), []

    def refund(index):
        barrier.wait()
        try:
            results.append(
                refund_payment(
                    order=order,
                    amount_cents=2000,
                    reason="Retour",
                    idempotency_key=f"return:{index}",
                    actor="store",
                )
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=refund, args=(index,)) for index in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    refunded = sorted(refund.amount_cents for refund in results if refund is not None)
    assert sum(refunded) == 5980
    assert refunded == [1980, 2000, 2000]
    assert order.payments.get().refunded_cents == 5980


def test_confirming_a_placed_order_again_changes_nothing(lyon_store, secateur):
    from checkout.services import confirm_order

    StockLevelFactory(store=lyon_store, variant=secateur, on_hand=1)
    order = place_order(
        customer=LEA,
        lines=[CheckoutLine(secateur, 1, FulfilmentMethod.CLICK_COLLECT, lyon_store)],
        actor="storefront",
    )

    again = confirm_order(order=order, actor=None)

    assert again.status == Order.Status.PLACED
    assert again.events.filter(to_status=Order.Status.PLACED).count() == 1
    assert level(lyon_store, secateur).reserved == 1


def test_a_payment_that_outlasted_its_hold_names_the_items_gone(
    lyon_store, secateur, provider_down, settings
):
    from checkout.services import confirm_order

    order = checkout_while_the_provider_is_down(lyon_store, secateur)
    settings.PAYMENT_PROVIDER = "dummy"
    take_payment(order=order, payment_token="tok_visa")
    _age(order, 20)
    reserve_stock(
        store=lyon_store, variant=secateur, quantity=1, holder="cart:other",
        kind=Reservation.Kind.CHECKOUT, ttl=timedelta(minutes=15), actor="storefront",
    )  # fmt: skip

    with pytest.raises(NoLongerAvailable) as gone:
        confirm_order(order=order, actor=None)

    assert gone.value.facts["skus"] == [secateur.sku]
    assert "remboursé" in gone.value.message
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED


def test_the_dummy_delayed_token_is_pending_then_confirmed_by_the_sweeper(lyon_store, secateur):
    StockLevelFactory(store=lyon_store, variant=secateur, on_hand=1)
    order = place_order(
        customer=LEA,
        lines=[CheckoutLine(secateur, 1, FulfilmentMethod.CLICK_COLLECT, lyon_store)],
        actor="storefront",
        payment_token=providers.DELAYED_TEST_TOKEN,
    )
    assert order.status == Order.Status.PENDING_PAYMENT
    _age(order, minutes=20)

    assert settle_abandoned_checkouts() == 1

    order.refresh_from_db()
    assert order.status == Order.Status.PLACED
    assert order.payments.get().status == Payment.Status.SUCCEEDED
