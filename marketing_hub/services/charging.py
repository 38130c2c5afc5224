"""Charging a store for what it bought in the marketing hub (order lines, digital packs).

`charge_store` is the one way the hub takes money: in one transaction it books the store's share
(`payments.postings.book_marketing_charge`: Dr 467100[store] incl. VAT, so the store's next
payout pays less), HQ's co-funded share as HQ's marketing expense, and issues the store an
invoice for its share in HQ's marketing series ("FM2027-000042", gapless, with its PDF).
`credit_charge` undoes a charge (a line cancelled after it was charged): the entries the other
way and a credit note ("AVM2027-…") for the invoice.

Both are idempotent per `reference`: run twice (a retried job, a double click), they book once
and return the same invoice. A store whose balance can't cover a charge is never blocked: the
charge makes its balance lower (or negative); `payments.payouts` pays only a positive available
balance, so the next payouts net what is owed, and the statement carries the rest.

Callers: the hub's approval (each approved line, reference `mkline:<id>`), subscriptions'
monthly billing (reference of their own, e.g. `subscription:<id>:<period>`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from network_marketplace.audit import Actor
from network_marketplace.errors import DomainError
from payments.invoices import MarketingInvoiceLine, issue_credit_note, issue_marketing_invoice
from payments.models import Invoice, JournalEntry
from payments.postings import (
    book_marketing_charge,
    book_marketing_cofunding,
    reverse_marketing_entry,
)
from stores.models import Store

T = TypeVar("T")


class ChargeRefused(DomainError):
    """A charge's lines are not valid amounts: nothing was booked."""

    code = "charge_refused"


@dataclass(frozen=True)
class ChargeLine:
    """One thing charged: `amount_excl_vat_cents` is what the store pays (its share, excl.
    VAT), `hq_share_cents` what HQ co-funds on top of it (no VAT: HQ's own expense)."""

    label: str
    amount_excl_vat_cents: int
    vat_rate_bp: int
    hq_share_cents: int = 0


# A line may be given as a ChargeLine or a tuple (label, amount_excl_vat_cents, vat_rate_bp
# [, hq_share_cents]).
ChargeLineInput = ChargeLine | tuple[str, int, int] | tuple[str, int, int, int]


def vat_of(amount_excl_vat_cents: int, vat_rate_bp: int) -> int:
    """VAT on an amount, half up, as `book_marketing_charge` books it."""
    return (amount_excl_vat_cents * vat_rate_bp + 5000) // 10000


def _lines(lines: Sequence[ChargeLineInput]) -> list[ChargeLine]:
    result = [line if isinstance(line, ChargeLine) else ChargeLine(*line) for line in lines]
    if not result or any(
        line.amount_excl_vat_cents < 0
        or line.hq_share_cents < 0
        or not 0 <= line.vat_rate_bp <= 10000
        for line in result
    ):
        raise ChargeRefused(_("A charge needs lines with amounts of zero or more."))
    return result


def _entry_reference(reference: str, position: int) -> str:
    return f"{reference}.{position}"


def _once(book: Callable[..., T], **kwargs: Any) -> T:
    """Book an entry; when a concurrent charge of the same reference booked it first (the
    ledger's unique reference refused ours), the second call returns that entry."""
    try:
        return book(**kwargs)
    except IntegrityError:
        return book(**kwargs)


def charge_store(
    *,
    store: Store,
    reference: str,
    label: str,
    lines: Sequence[ChargeLineInput],
    actor: Actor,
    order_number: str = "",
) -> Invoice | None:
    """Charge `store` for `lines` under `reference` (unique to what is charged, e.g.
    `mkline:12`): books each line's store share and HQ's share, and issues one invoice for the
    store's shares. Returns the invoice (the same one when called again with the same
    reference), or None when the store pays nothing (fully co-funded). Runs in the caller's
    transaction when there is one. Raises ChargeRefused for negative amounts."""
    charge_lines = _lines(lines)
    with transaction.atomic():
        invoice_lines: list[MarketingInvoiceLine] = []
        for position, line in enumerate(charge_lines, start=1):
            entry_reference = _entry_reference(reference, position)
            line_label = f"{label} · {line.label}" if line.label and line.label != label else label
            if line.hq_share_cents:
                _once(
                    book_marketing_cofunding,
                    store=store,
                    reference=entry_reference,
                    label=line_label,
                    amount_cents=line.hq_share_cents,
                    actor=actor,
                )
            if not line.amount_excl_vat_cents:
                continue
            entry = _once(
                book_marketing_charge,
                store=store,
                reference=entry_reference,
                label=line_label,
                amount_excl_vat_cents=line.amount_excl_vat_cents,
                vat_rate_bp=line.vat_rate_bp,
                actor=actor,
            )
            invoice_lines.append(
                MarketingInvoiceLine(
                    label=line.label or label,
                    amount_excl_vat_cents=line.amount_excl_vat_cents,
                    vat_rate_bp=line.vat_rate_bp,
                    vat_cents=vat_of(line.amount_excl_vat_cents, line.vat_rate_bp),
                    entry=entry,
                    order_number=order_number,
                )
            )
        if not invoice_lines:
            return None
        return issue_marketing_invoice(store=store, lines=invoice_lines, actor=actor)


def charge_entries(reference: str) -> list[JournalEntry]:
    """The ledger entries `charge_store` booked under `reference` (charges and co-funding)."""
    return list(
        JournalEntry.objects.filter(reference__startswith=f"marketing:{reference}.").order_by("id")
    ) + list(
        JournalEntry.objects.filter(
            reference__startswith=f"marketing-cofunding:{reference}."
        ).order_by("id")
    )


def charge_invoice(reference: str) -> Invoice | None:
    """The invoice issued for the charge `reference`, if any."""
    entry_ids = [e.pk for e in charge_entries(reference) if e.reference.startswith("marketing:")]
    if not entry_ids:
        return None
    return Invoice.objects.filter(kind=Invoice.Kind.INVOICE, lines__entry_id__in=entry_ids).first()


def credit_charge(*, reference: str, reason: str, actor: Actor) -> Invoice | None:
    """Undo the charge `reference` (a line cancelled after its charge): its entries booked the
    other way (the store's balance gets its money back, HQ's revenue, VAT and co-funding go
    back) and a credit note for its invoice. Idempotent: the same credit note when called
    again. None when nothing was charged under `reference` (nothing to undo)."""
    with transaction.atomic():
        entries = charge_entries(reference)
        if not entries:
            return None
        for entry in entries:
            reverse_marketing_entry(
                entry=entry,
                label=entry.label,
                actor=actor,
            )
        invoice = charge_invoice(reference)
        if invoice is None:
            return None
        existing = invoice.credit_notes.first()
        if existing is not None:
            return existing
        return issue_credit_note(
            invoice=invoice,
            reason=reason or _("Marketing order line cancelled."),
            actor=actor,
            marketing_charge_reversed=True,
        )
