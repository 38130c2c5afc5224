"""Transfers of the stores' shares to their connected accounts, and their reversals: queued as
outbox messages with the sale or the refund that causes them, sent after commit, booked in
journal BQ (`transfer:<id>`, `transfer-reversal:<id>`) once the provider made them. A refusal
raises, so the outbox retries; the idempotency key makes a repeated call move money once."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from network_marketplace.models import OutboxMessage
from network_marketplace.outbox import register_handler
from network_marketplace.transitions import transition

from .. import ledger
from ..accounts import payment_account_for
from ..ledger import credit, debit, post_entry
from ..models import Transfer, TransferReversal
from ..providers import get_provider
from ..states import TRANSFER_LIFECYCLE, TRANSFER_REVERSAL_LIFECYCLE
from .captures import paid_payment

TRANSFER_KIND = "payment.transfer"
TRANSFER_REVERSAL_KIND = "payment.transfer_reversal"
SYSTEM = "system:payments"


def send_transfer(message: OutboxMessage) -> None:
    """Outbox handler: move the transfer's amount to the store's connected account, then book
    it (BQ `transfer:<id>`). ProviderUnavailable or a refusal raises: the outbox retries; the
    idempotency key makes a repeated call transfer once."""
    transfer = Transfer.objects.select_related("store", "order").get(pk=message.payload["transfer"])
    if transfer.status not in {Transfer.Status.PENDING, Transfer.Status.FAILED}:
        return
    payment = paid_payment(transfer.order)
    result = get_provider().create_transfer(
        amount_cents=transfer.amount_cents,
        currency=transfer.currency,
        destination=payment_account_for(transfer.store).reference,
        transfer_group=transfer.order.number or str(transfer.order_id),
        source_charge=payment.reference if payment else "",
        idempotency_key=transfer.idempotency_key,
    )
    if not result.succeeded:
        mark_transfer_refused(transfer=transfer, failure_message=result.failure_message)
        raise RuntimeError(f"Transfer {transfer.pk} refused: {result.failure_message}")
    with transaction.atomic():
        locked = transition(
            TRANSFER_LIFECYCLE,
            transfer,
            Transfer.Status.PAID,
            actor=SYSTEM,
            changes={
                "reference": result.reference,
                "failure_message": "",
                "paid_at": timezone.now(),
            },
            audit_data={"reference": result.reference},
        ).row
        post_entry(
            journal="BQ",
            reference=f"transfer:{locked.pk}",
            order=locked.order,
            store=locked.store,
            label=f"Transfer {locked.order.number} · {locked.store.slug}",
            postings=[
                debit(ledger.STORE_PROVIDER_BALANCE, locked.amount_cents, store_id=locked.store_id),
                credit(ledger.PLATFORM_BALANCE, locked.amount_cents),
            ],
        )


def mark_transfer_refused(*, transfer: Transfer, failure_message: str) -> Transfer:
    """The provider refused the transfer: mark it failed (the outbox retries it) and keep the
    provider's latest word. A transfer made meanwhile by another attempt stays made."""
    message = failure_message[:300]
    with transaction.atomic():
        locked = Transfer.objects.select_for_update().get(pk=transfer.pk)
        if locked.status == Transfer.Status.PENDING:
            return transition(
                TRANSFER_LIFECYCLE,
                locked,
                Transfer.Status.FAILED,
                actor=SYSTEM,
                reason=message,
                changes={"failure_message": message},
            ).row
        if locked.status == Transfer.Status.FAILED:
            locked.failure_message = message
            locked.save(update_fields=["failure_message", "updated_at"])
    return locked


def send_transfer_reversal(message: OutboxMessage) -> None:
    """Outbox handler: take the amount back from the store's connected account, then book it
    (BQ `transfer-reversal:<id>`). Waits (retries) while the transfer itself is not made."""
    reversal = TransferReversal.objects.select_related("transfer__store", "transfer__order").get(
        pk=message.payload["reversal"]
    )
    if reversal.status == TransferReversal.Status.DONE:
        return
    transfer = reversal.transfer
    if not transfer.reference:
        raise RuntimeError(f"Transfer {transfer.pk} is not made yet: its reversal waits.")
    result = get_provider().reverse_transfer(
        transfer_reference=transfer.reference,
        amount_cents=reversal.amount_cents,
        idempotency_key=reversal.idempotency_key,
    )
    if not result.succeeded:
        raise RuntimeError(f"Transfer reversal {reversal.pk} refused: {result.failure_message}")
    with transaction.atomic():
        locked = Transfer.objects.select_for_update().get(pk=transfer.pk)
        transition(
            TRANSFER_REVERSAL_LIFECYCLE,
            reversal,
            TransferReversal.Status.DONE,
            actor=SYSTEM,
            changes={"reference": result.reference, "completed_at": timezone.now()},
        )
        done = (
            locked.reversals.filter(status=TransferReversal.Status.DONE).aggregate(
                total=Sum("amount_cents")
            )["total"]
            or 0
        )
        transition(
            TRANSFER_LIFECYCLE,
            locked,
            Transfer.Status.REVERSED
            if done >= locked.amount_cents
            else Transfer.Status.PARTIALLY_REVERSED,
            actor=SYSTEM,
            audit_data={"reversal": reversal.pk, "refund": reversal.refund_id},
        )
        post_entry(
            journal="BQ",
            reference=f"transfer-reversal:{reversal.pk}",
            order=locked.order,
            store=locked.store,
            label=f"Transfer reversed {locked.order.number} · {locked.store.slug}",
            postings=[
                debit(ledger.PLATFORM_BALANCE, reversal.amount_cents),
                credit(
                    ledger.STORE_PROVIDER_BALANCE, reversal.amount_cents, store_id=locked.store_id
                ),
            ],
        )


register_handler(TRANSFER_KIND, send_transfer)
register_handler(TRANSFER_REVERSAL_KIND, send_transfer_reversal)
