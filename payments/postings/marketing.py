"""Charges of the marketing hub to a store: netted from what the network owes it (its next
payout pays less), booked in journal VT (`marketing:<hub reference>`) with HQ's revenue and VAT."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from network_marketplace.audit import Actor, record_audit_event
from stores.models import Store

from .. import ledger
from ..ledger import credit, debit, post_entry
from ..models import JournalEntry


def book_marketing_charge(
    *,
    store: Store,
    reference: str,
    label: str,
    amount_excl_vat_cents: int,
    vat_rate_bp: int = 2000,
    actor: Actor,
    occurred_at: datetime | None = None,
) -> JournalEntry:
    """Charge a store for a marketing-hub order: netted from what the network owes it (its
    next payout pays less), HQ's marketing revenue and its VAT. `reference` names the hub's
    order, so booking it twice books once. Returns the entry."""
    vat = (amount_excl_vat_cents * vat_rate_bp + 5000) // 10000  # half up, like every VAT line
    with transaction.atomic():
        entry = post_entry(
            journal="VT",
            reference=f"marketing:{reference}",
            label=label,
            store=store,
            occurred_at=occurred_at,
            postings=[
                debit(ledger.STORE_PAYABLE, amount_excl_vat_cents + vat, store_id=store.pk),
                credit(ledger.MARKETING_REVENUE, amount_excl_vat_cents),
                credit(ledger.VAT_COLLECTED, vat),
            ],
        )
        record_audit_event(
            actor=actor,
            action="payments.marketing_charged",
            target=entry,
            store_id=store.pk,
            data={
                "reference": reference,
                "amount_excl_vat_cents": amount_excl_vat_cents,
                "vat_cents": vat,
            },
        )
    return entry
