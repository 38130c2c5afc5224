"""Payments, refunds and transfers move through their tables in payments/states.py, one event
row (who, from, to, why) and one audit row per move, and nothing else changes their status."""

import pytest

from network_marketplace.errors import IllegalTransition
from network_marketplace.models import AuditEvent
from network_marketplace.transitions import transition
from payments import providers
from payments.models import (
    JournalEntry,
    Payment,
    Refund,
    SaleSplit,
    Transfer,
    TransferReversal,
)
from payments.postings import reverse_sales, send_transfer
from payments.providers import ChargeResult, TransferResult
from payments.services import (
    PaymentDeclined,
    record_charge_result,
    refund_payment,
    take_payment,
)
from payments.states import (
    PAYMENT_LIFECYCLE,
    REFUND_LIFECYCLE,
    TRANSFER_LIFECYCLE,
    TRANSFER_REVERSAL_LIFECYCLE,
)

from . import commission_helpers
from .commission_helpers import Piece, complete, deliver_money_messages, fulfilment_of, paid_order


def moves(row) -> list[tuple[str, str, str]]:
    return list(row.events.values_list("from_status", "to_status", "actor_label"))


@pytest.fixture
def unpaid_order(plan, paris_store, monkeypatch):
    """A placed order of 40 € that no charge was tried for yet."""
    monkeypatch.setattr(commission_helpers, "take_payment", lambda **kwargs: None)
    return paid_order(Piece(paris_store, unit_price_cents=4_000))


def test_a_declined_then_accepted_charge_leaves_each_answer_as_an_event_and_books_once(
    unpaid_order,
):
    with pytest.raises(PaymentDeclined):
        take_payment(order=unpaid_order, payment_token=providers.DECLINED_TEST_TOKEN)

    payment = take_payment(order=unpaid_order, payment_token="tok_visa")

    assert payment.status == Payment.Status.SUCCEEDED
    assert moves(payment) == [
        ("", "pending", "system:checkout"),
        ("pending", "failed", "provider"),
        ("failed", "succeeded", "provider"),
    ]
    assert payment.events.get(to_status="failed").reason == "Your card was declined."
    assert JournalEntry.objects.filter(reference=f"capture:payment:{payment.pk}").count() == 1
    audit = AuditEvent.objects.get(action="payment.succeeded", target_id=str(payment.pk))
    assert audit.data["from"] == "failed"
    assert audit.data["amount_cents"] == 4_000


def test_a_payment_still_pending_keeps_the_providers_latest_reference_without_an_event(
    unpaid_order,
):
    payment = take_payment(order=unpaid_order, payment_token=providers.DELAYED_TEST_TOKEN)
    again = record_charge_result(
        payment=payment, result=ChargeResult(False, reference="pi_later", pending=True)
    )

    assert (again.status, again.reference) == (Payment.Status.PENDING, "pi_later")
    assert moves(again) == [("", "pending", "system:checkout")]


def test_a_paid_charge_stays_paid_whatever_the_provider_says_later(plan, paris_store):
    payment = paid_order(Piece(paris_store)).payments.get()

    after = record_charge_result(
        payment=payment, result=ChargeResult(False, failure_message="late decline")
    )

    assert after.status == Payment.Status.SUCCEEDED
    with pytest.raises(IllegalTransition):
        transition(PAYMENT_LIFECYCLE, payment, Payment.Status.FAILED, actor="test")


def test_a_refund_is_created_pending_and_moves_once_the_provider_gave_the_money_back(
    plan, paris_store
):
    order = paid_order(Piece(paris_store, unit_price_cents=4_000))

    refund = refund_payment(
        order=order, amount_cents=1_000, reason="damaged", idempotency_key="t:1", actor="hq:ana"
    )
    deliver_money_messages()

    refund.refresh_from_db()
    assert refund.status == Refund.Status.SUCCEEDED
    assert moves(refund) == [("", "pending", "hq:ana"), ("pending", "succeeded", "provider")]
    assert AuditEvent.objects.filter(action="refund.succeeded", target_id=str(refund.pk)).exists()
    with pytest.raises(IllegalTransition):
        transition(REFUND_LIFECYCLE, refund, Refund.Status.FAILED, actor="test")


class RefusingProvider(providers.DummyProvider):
    name = "refusing"

    def create_transfer(self, **kwargs):
        return TransferResult(False, failure_message="account closed")


def test_a_refused_transfer_fails_keeps_the_latest_refusal_and_is_paid_by_a_later_attempt(
    plan, paris_store, settings, monkeypatch
):
    monkeypatch.setitem(providers.PROVIDERS, "refusing", RefusingProvider)
    order = paid_order(Piece(paris_store, unit_price_cents=10_000))
    complete(fulfilment_of(order, paris_store))
    transfer = Transfer.objects.get()
    message = type("Message", (), {"payload": {"transfer": transfer.pk}})()
    settings.PAYMENT_PROVIDER = "refusing"
    for _attempt in range(2):
        with pytest.raises(RuntimeError, match="refused"):
            send_transfer(message)
    transfer.refresh_from_db()
    assert (transfer.status, transfer.failure_message) == (Transfer.Status.FAILED, "account closed")

    settings.PAYMENT_PROVIDER = "dummy"
    send_transfer(message)

    transfer.refresh_from_db()
    assert (transfer.status, transfer.failure_message) == (Transfer.Status.PAID, "")
    assert moves(transfer) == [
        ("", "pending", "store:test"),
        ("pending", "failed", "system:payments"),
        ("failed", "paid", "system:payments"),
    ]
    assert JournalEntry.objects.filter(reference=f"transfer:{transfer.pk}").count() == 1


def test_a_transfer_taken_back_in_full_is_reversed_and_its_reversal_done(plan, paris_store):
    order = paid_order(Piece(paris_store, unit_price_cents=10_000))
    fulfilment = complete(fulfilment_of(order, paris_store))
    deliver_money_messages()

    refund = refund_payment(
        order=order, amount_cents=10_000, reason="lost", idempotency_key="t:2", actor="hq:ana"
    )
    split = SaleSplit.objects.get(fulfilment=fulfilment)
    reverse_sales(refund=refund, amounts={split.pk: 10_000}, actor="hq:ana")
    deliver_money_messages()

    transfer = Transfer.objects.get()
    assert transfer.status == Transfer.Status.REVERSED
    assert moves(transfer)[-1] == ("paid", "reversed", "system:payments")
    reversal = TransferReversal.objects.get()
    assert reversal.status == TransferReversal.Status.DONE
    assert AuditEvent.objects.filter(
        action="transfer_reversal.done", target_id=str(reversal.pk)
    ).exists()
    with pytest.raises(IllegalTransition):
        transition(TRANSFER_LIFECYCLE, transfer, Transfer.Status.PAID, actor="test")
    with pytest.raises(IllegalTransition):
        transition(
            TRANSFER_REVERSAL_LIFECYCLE, reversal, TransferReversal.Status.PENDING, actor="test"
        )
