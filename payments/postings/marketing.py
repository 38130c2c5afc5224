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


def book_marketing_cofunding(
    *,
    store: Store,
    reference: str,
    label: str,
    amount_cents: int,
    actor: Actor,
    occurred_at: datetime | None = None,
) -> JournalEntry | None:
    """Book HQ's co-funded share of a store's marketing order as HQ's marketing expense: the
    item is sold at its full price, HQ pays part of it (Dr 623100 / Cr 706100, no VAT: HQ does
    not invoice itself). Booked once per `reference`; None when HQ pays nothing."""
    if amount_cents <= 0:
        return None
    with transaction.atomic():
        entry = post_entry(
            journal="OD",
            reference=f"marketing-cofunding:{reference}",
            label=label,
            store=store,
            occurred_at=occurred_at,
            postings=[
                debit(ledger.MARKETING_COFUNDING, amount_cents),
                credit(ledger.MARKETING_REVENUE, amount_cents),
            ],
        )
        record_audit_event(
            actor=actor,
            action="payments.marketing_cofunded",
            target=entry,
            store_id=store.pk,
            data={"reference": reference, "amount_cents": amount_cents},
        )
    return entry


def reverse_marketing_entry(
    *, entry: JournalEntry, label: str, actor: Actor, occurred_at: datetime | None = None
) -> JournalEntry:
    """Book `entry` (a marketing charge or co-funding) the other way, as `<kind>-credit:<ref>`:
    a line cancelled after its charge gives the store its money back (its next payout pays
    more) and takes HQ's revenue, VAT and co-funding expense back. Booked once."""
    kind, _sep, rest = entry.reference.partition(":")
    reversal = {
        "marketing": "marketing-credit",
        "marketing-cofunding": "marketing-cofunding-credit",
    }
    if kind not in reversal:
        raise ValueError(f"{entry.reference} is not a marketing entry.")
    with transaction.atomic():
        credit_entry = post_entry(
            journal=entry.journal,
            reference=f"{reversal[kind]}:{rest}",
            label=label,
            store=entry.store,
            occurred_at=occurred_at,
            postings=[
                ledger.Posting(
                    account=line.account.code,
                    debit_cents=line.credit_cents,
                    credit_cents=line.debit_cents,
                    store_id=line.account.store_id,
                    label=line.label,
                )
                for line in entry.lines.select_related("account")
            ],
        )
        record_audit_event(
            actor=actor,
            action="payments.marketing_credited",
            target=credit_entry,
            store_id=entry.store_id,
            data={"reference": entry.reference},
        )
    return credit_entry
