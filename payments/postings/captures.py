"""The customer's money at the provider: the capture of a charge, its fee, a refund sent back.
Booked in journal BQ by payments/services.py, in the transaction that records the provider's
answer; `paid_payment` is the order's charge every later posting refers to."""

from __future__ import annotations

from django.db.models import Sum

from orders.models import Order

from .. import ledger
from ..ledger import credit, debit, post_entry
from ..models import JournalLine, Payment, Refund


def paid_payment(order: Order) -> Payment | None:
    return (
        Payment.objects.filter(order=order, status=Payment.Status.SUCCEEDED)
        .order_by("created_at", "id")
        .first()
    )


def book_capture(*, payment: Payment, fee_cents: int = 0) -> None:
    """The customer's money reached HQ's platform account: it is held for the goods (419100)
    until they leave; the provider's fee is HQ's expense (it bears it, through commission)."""
    order = payment.order
    post_entry(
        journal="BQ",
        reference=f"capture:payment:{payment.pk}",
        order=order,
        label=f"Payment captured {order.number or order.pk}",
        postings=[
            debit(ledger.PLATFORM_BALANCE, payment.amount_cents),
            credit(ledger.CUSTOMER_PREPAYMENTS, payment.amount_cents),
        ],
    )
    book_provider_fee(payment=payment, fee_cents=fee_cents)


def book_provider_fee(*, payment: Payment, fee_cents: int) -> None:
    """The provider's fee on a charge (at capture, or later when a provider tells it late)."""
    if fee_cents <= 0:
        return
    post_entry(
        journal="BQ",
        reference=f"fee:payment:{payment.pk}",
        order=payment.order,
        label=f"Provider fee {payment.order.number or payment.order_id}",
        postings=[
            debit(ledger.PROVIDER_FEES, fee_cents),
            credit(ledger.PLATFORM_BALANCE, fee_cents),
        ],
    )


def provider_fee_cents(order: Order) -> int:
    """The provider's fees booked on the order's charges."""
    references = [f"fee:payment:{pk}" for pk in order.payments.values_list("pk", flat=True)]
    return (
        JournalLine.objects.filter(
            entry__reference__in=references, account__code=ledger.PROVIDER_FEES
        ).aggregate(total=Sum("debit_cents"))["total"]
        or 0
    )


def book_refund_sent(*, refund: Refund) -> None:
    """The provider gave the money back to the customer."""
    post_entry(
        journal="BQ",
        reference=f"refund:{refund.pk}",
        order=refund.order,
        label=f"Refund {refund.order.number or refund.order_id}",
        postings=[
            debit(ledger.CUSTOMER_PREPAYMENTS, refund.amount_cents),
            credit(ledger.PLATFORM_BALANCE, refund.amount_cents),
        ],
    )
