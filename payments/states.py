"""Lifecycles of the payments app, in one place: the allowed moves of a payment, a refund, a
transfer, a transfer's reversal and a payout. Services move them only through
`network_marketplace.transitions.transition`, which writes the event row and the audit row.

Payment (one charge at the provider, keyed by its order)
pending → succeeded   the provider took the money (at checkout, by webhook, or by the sweeper)
pending → failed      declined, or the provider did not answer
failed → succeeded    money taken after all is a fact (its order refunds it if it gave up)
failed → pending      a retried charge of the same order waits for 3-D Secure or the bank

Refund
pending → succeeded   the provider gave the money back. A refusal stays pending: the outbox
                      retries it and HQ sees it there; nothing writes "failed" today.

Transfer (a store's share moved to its connected account)
pending → paid, failed → paid        the provider made it (a refusal is retried by the outbox)
pending → failed                     the provider refused it
paid → partially_reversed, reversed  refunds took part or all of it back
partially_reversed → reversed

Transfer reversal: pending → done (the provider took the amount back). Its moves are recorded by
the audit row and by its transfer's own move; it has no event table.

Payout
pending → paid     the provider accepted the payout (Stripe confirms with `payout.paid`)
pending → failed   the provider refused it: its money goes back to the store's balance
paid → failed      the bank sent it back later (Stripe's `payout.failed` after `paid`)

A failed payout is never revived: HQ retries it as a new attempt (a new Payout row).

E-invoice transmission (an invoice's Factur-X at the certified platform, payments/einvoicing/)
pending → deposited   the platform took it (its reference recorded)
pending → rejected    the platform refused it (its message recorded)
rejected → pending    HQ sends it again once the cause is fixed
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from network_marketplace.transitions import Lifecycle, WebhookEvent

from .models import (
    EInvoiceTransmission,
    EInvoiceTransmissionEvent,
    Payment,
    PaymentEvent,
    Payout,
    PayoutEvent,
    Refund,
    RefundEvent,
    Transfer,
    TransferEvent,
    TransferReversal,
)

C = Payment.Status

PAYMENT_TRANSITIONS: dict[str, set[str]] = {
    C.PENDING: {C.SUCCEEDED, C.FAILED},
    C.FAILED: {C.SUCCEEDED, C.PENDING},
    C.SUCCEEDED: set(),
}

PAYMENT_LIFECYCLE = Lifecycle(
    name="payment",
    model=Payment,
    moves=PAYMENT_TRANSITIONS,
    event_model=PaymentEvent,
    event_parent="payment",
    store_of=lambda payment: payment.order.attributed_store_id,
    audit_data=lambda payment: {"order": payment.order_id, "amount_cents": payment.amount_cents},
    illegal_message=gettext_lazy("A payment can't go from “%(current)s” to “%(target)s”."),
)

R = Refund.Status

REFUND_TRANSITIONS: dict[str, set[str]] = {
    R.PENDING: {R.SUCCEEDED},
    R.SUCCEEDED: set(),
    R.FAILED: set(),
}

REFUND_LIFECYCLE = Lifecycle(
    name="refund",
    model=Refund,
    moves=REFUND_TRANSITIONS,
    event_model=RefundEvent,
    event_parent="refund",
    store_of=lambda refund: refund.order.attributed_store_id,
    audit_data=lambda refund: {"order": refund.order_id, "amount_cents": refund.amount_cents},
    illegal_message=gettext_lazy("A refund can't go from “%(current)s” to “%(target)s”."),
)

T = Transfer.Status

TRANSFER_TRANSITIONS: dict[str, set[str]] = {
    T.PENDING: {T.PAID, T.FAILED},
    T.FAILED: {T.PAID},
    T.PAID: {T.PARTIALLY_REVERSED, T.REVERSED},
    T.PARTIALLY_REVERSED: {T.REVERSED},
    T.REVERSED: set(),
}

TRANSFER_LIFECYCLE = Lifecycle(
    name="transfer",
    model=Transfer,
    moves=TRANSFER_TRANSITIONS,
    event_model=TransferEvent,
    event_parent="transfer",
    store_of=lambda transfer: transfer.store_id,
    audit_data=lambda transfer: {"amount_cents": transfer.amount_cents},
    illegal_message=gettext_lazy("A transfer can't go from “%(current)s” to “%(target)s”."),
)

V = TransferReversal.Status

TRANSFER_REVERSAL_TRANSITIONS: dict[str, set[str]] = {
    V.PENDING: {V.DONE},
    V.DONE: set(),
}

TRANSFER_REVERSAL_LIFECYCLE = Lifecycle(
    name="transfer_reversal",
    model=TransferReversal,
    moves=TRANSFER_REVERSAL_TRANSITIONS,
    store_of=lambda reversal: reversal.transfer.store_id,
    audit_data=lambda reversal: {
        "transfer": reversal.transfer_id,
        "refund": reversal.refund_id,
        "amount_cents": reversal.amount_cents,
    },
)

P = Payout.Status

PAYOUT_TRANSITIONS: dict[str, set[str]] = {
    P.PENDING: {P.PAID, P.FAILED},
    P.PAID: {P.FAILED},
    P.FAILED: set(),
}


def _payout_webhooks(payout: Payout, previous: str) -> list[WebhookEvent]:
    event_type = f"payout.{payout.status}"
    return [
        WebhookEvent(
            event_type=event_type,
            store_id=payout.store_id,
            event_id=f"{event_type}:{payout.pk}",
            data={
                "payout": payout.pk,
                "amount_cents": payout.amount_cents,
                "currency": payout.currency,
                "period": payout.period_key,
            },
        )
    ]


PAYOUT_LIFECYCLE = Lifecycle(
    name="payout",
    model=Payout,
    moves=PAYOUT_TRANSITIONS,
    event_model=PayoutEvent,
    event_parent="payout",
    store_of=lambda payout: payout.store_id,
    webhooks=_payout_webhooks,
    illegal_message=gettext_lazy("A payout can't go from “%(current)s” to “%(target)s”."),
)


E = EInvoiceTransmission.Status

EINVOICE_TRANSITIONS: dict[str, set[str]] = {
    E.PENDING: {E.DEPOSITED, E.REJECTED},
    E.REJECTED: {E.PENDING},
    E.DEPOSITED: set(),
}

EINVOICE_LIFECYCLE = Lifecycle(
    name="einvoice",
    model=EInvoiceTransmission,
    moves=EINVOICE_TRANSITIONS,
    event_model=EInvoiceTransmissionEvent,
    event_parent="transmission",
    store_of=lambda transmission: transmission.invoice.store_id,
    audit_data=lambda transmission: {
        "invoice": transmission.invoice.number,
        "platform": transmission.platform,
        "reference": transmission.platform_reference,
    },
    illegal_message=gettext_lazy(
        "An e-invoice transmission can't go from “%(current)s” to “%(target)s”."
    ),
)
