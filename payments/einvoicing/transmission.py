"""Queue an issued invoice's e-invoice and send it to the platform (the outbox handler)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from network_marketplace.audit import Actor
from network_marketplace.models import OutboxMessage
from network_marketplace.outbox import enqueue, register_handler
from network_marketplace.transitions import transition

from ..facturx import cii_xml, facturx_pdf
from ..models import EInvoiceTransmission, Invoice
from ..states import EINVOICE_LIFECYCLE
from . import get_platform

TRANSMIT_KIND = "einvoice.transmit"
SYSTEM_ACTOR = "system:e-invoicing"


def queue_transmission(*, invoice: Invoice) -> EInvoiceTransmission:
    """The invoice's transmission row (pending) and its outbox message, in the caller's
    transaction (the one that issues the invoice): it commits with the invoice or not at all.
    Idempotent per invoice."""
    platform = get_platform()
    row, _created = EInvoiceTransmission.objects.get_or_create(
        invoice=invoice, defaults={"platform": platform.name}
    )
    enqueue(
        kind=TRANSMIT_KIND,
        payload={"transmission": row.pk},
        dedupe_key=f"{TRANSMIT_KIND}:{invoice.number}:{row.events.count()}",
    )
    return row


def send_again(*, transmission: EInvoiceTransmission, actor: Actor) -> EInvoiceTransmission:
    """HQ sends a rejected e-invoice again (after fixing what the platform said)."""
    with transaction.atomic():
        row = transition(
            EINVOICE_LIFECYCLE,
            transmission,
            EInvoiceTransmission.Status.PENDING,
            actor=actor,
            reason="sent again",
        ).row
        queue_transmission(invoice=row.invoice)
    return row


def transmit(message: OutboxMessage) -> None:
    """The outbox handler: send a pending transmission's Factur-X to the platform and record
    its answer. Runs outside a transaction; a network error raises and the outbox retries. A
    repeat after a worker died mid-way deposits the same number again (platforms drop it)."""
    row = (
        EInvoiceTransmission.objects.select_related("invoice", "invoice__credited_invoice")
        .filter(pk=message.payload["transmission"])
        .first()
    )
    if row is None or row.status != EInvoiceTransmission.Status.PENDING:
        return
    invoice = row.invoice
    receipt = get_platform().send(
        number=invoice.number, pdf=facturx_pdf(invoice), xml=cii_xml(invoice)
    )
    transition(
        EINVOICE_LIFECYCLE,
        row,
        receipt.status,
        actor=SYSTEM_ACTOR,
        reason=receipt.message[:300],
        changes={
            "platform_reference": receipt.reference[:100],
            "message": receipt.message[:500],
            "sent_at": timezone.now(),
        },
    )


register_handler(TRANSMIT_KIND, transmit)
