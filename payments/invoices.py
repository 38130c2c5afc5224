"""HQ's monthly commission invoices to the stores, and the credit notes that correct them.

Numbers come from gapless chronological series, one per kind and year (`F2026-000123`,
`AV2026-000004`): the issuing transaction locks the series' counter row (SELECT ... FOR
UPDATE), takes the next number and writes the invoice with it, so numbers follow the order of
issue, a rolled-back issue gives its number back, and none is used twice. An issued invoice is
never edited: a credit note cancels it (its own series, referencing it), and a new invoice may
then be issued for the period.

Lines come from the ledger (`selectors.commission_rows`): HQ's commission on each of the
store's sales of the month and its VAT, less the reversals of refunded sales. Both parties'
identities are copied onto the invoice at issue.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from network_marketplace.audit import Actor, actor_label, record_audit_event
from network_marketplace.errors import DomainError
from network_marketplace.webhooks import emit_event
from stores.models import Store

from .einvoicing.transmission import queue_transmission
from .models import Invoice, InvoiceLine, InvoiceNumberSeries, JournalEntry, LedgerAccount
from .selectors import commission_rows, month_bounds, vat_breakdown

logger = logging.getLogger(__name__)

PAYMENT_DAYS = 30
SYSTEM_ACTOR = "system:invoices"
SERIES_PREFIX: dict[str, str] = {Invoice.Kind.INVOICE: "F", Invoice.Kind.CREDIT_NOTE: "AV"}
# The marketing hub's invoices to the stores (their share of marketing orders, digital packs)
# and their credit notes: HQ's own gapless series, apart from the commission's.
MARKETING_SERIES_PREFIX: dict[str, str] = {
    Invoice.Kind.INVOICE: "FM",
    Invoice.Kind.CREDIT_NOTE: "AVM",
}


class InvoiceNotAllowed(DomainError):
    """This invoice or credit note can't be issued."""

    code = "invoice_not_allowed"
    http_status = 409


def previous_month(today: date | None = None) -> date:
    today = today or timezone.localdate()
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def payment_terms() -> str:
    return _(
        "Payable within %(days)d days of the invoice date, netted from the store's payouts. "
        "Late payment: penalties at three times the legal interest rate and a fixed "
        "indemnity of 40 € for recovery costs (Code de commerce, art. L441-10). "
        "No discount for early payment."
    ) % {"days": PAYMENT_DAYS}


def seller_identity() -> dict:
    operator = settings.NETWORK_OPERATOR
    return {
        "company_name": operator["company_name"],
        "address": operator["address"],
        "registration_number": operator["registration_number"],
        "siren": operator.get("siren", ""),
        "siret": operator.get("siret", ""),
        "vat_number": operator["vat_number"],
        "legal_form": operator.get("share_capital", ""),
        "email": operator.get("email", ""),
    }


def buyer_identity(store: Store) -> dict:
    return {
        "store": store.name,
        "company_name": store.company_name or store.name,
        "registration_number": store.registration_number,
        "vat_number": store.vat_number,
        "legal_address": store.legal_address
        or f"{store.address_line}, {store.postal_code} {store.city}",
        "country": store.country,
    }


def _lock_series(kind: str, year: int, *, marketing: bool = False) -> InvoiceNumberSeries:
    """`kind`'s series of `year`, locked until the calling transaction ends: issues wait for
    each other here, so they are numbered in the order they commit."""
    prefix = f"{(MARKETING_SERIES_PREFIX if marketing else SERIES_PREFIX)[kind]}{year}"
    try:  # the year's first issue makes the row, in its own savepoint (a racing one wins)
        with transaction.atomic():
            InvoiceNumberSeries.objects.get_or_create(prefix=prefix)
    except IntegrityError:
        pass
    return InvoiceNumberSeries.objects.select_for_update().get(prefix=prefix)


def _take_number(series: InvoiceNumberSeries) -> tuple[str, int, str]:
    series.last_number += 1
    series.save(update_fields=["last_number"])
    return series.prefix, series.last_number, f"{series.prefix}-{series.last_number:06d}"


def issue_commission_invoice(*, store: Store, period: date, actor: Actor) -> Invoice | None:
    """Issue `store`'s commission invoice for `period`'s month, or return the one issued
    (not cancelled by a credit note). None when the month has no commission to invoice."""
    return _issue_commission_invoice(store=store, period=period, actor=actor)[0]


def _issue_commission_invoice(
    *, store: Store, period: date, actor: Actor
) -> tuple[Invoice | None, bool]:
    start, end = month_bounds(period)
    rows = commission_rows(store=store, start=start, end=end)
    if not rows:
        return None, False
    with transaction.atomic():
        now = timezone.now()
        locked = _lock_series(Invoice.Kind.INVOICE, timezone.localdate(now).year)
        now = timezone.now()  # after the wait for the lock: dates follow the numbers
        # Checked under the series lock: two issues for one store and month can't both pass.
        existing = (
            Invoice.objects.filter(
                store=store,
                kind=Invoice.Kind.INVOICE,
                period_start=start,
                credit_notes__isnull=True,
            )
            .exclude(series__startswith=MARKETING_SERIES_PREFIX[Invoice.Kind.INVOICE])
            .first()
        )
        if existing is not None:
            return existing, False
        series, sequence, number = _take_number(locked)
        groups = vat_breakdown(rows)
        excl = sum(group.base_cents for group in groups)
        vat = sum(group.vat_cents for group in groups)
        invoice = Invoice.objects.create(
            kind=Invoice.Kind.INVOICE,
            number=number,
            series=series,
            sequence=sequence,
            store=store,
            period_start=start,
            period_end=end,
            issued_at=now,
            due_date=timezone.localdate(now) + timedelta(days=PAYMENT_DAYS),
            total_excl_vat_cents=excl,
            vat_cents=vat,
            total_incl_vat_cents=excl + vat,
            vat_breakdown=[group.__dict__ for group in groups],
            seller=seller_identity(),
            buyer=buyer_identity(store),
            payment_terms=payment_terms(),
            issued_by_label=actor_label(actor),
        )
        InvoiceLine.objects.bulk_create(
            InvoiceLine(
                invoice=invoice,
                position=position,
                entry=row.entry,
                date=row.date,
                order_number=row.order_number,
                label=(
                    _("Reversal of the commission, order %(order)s")
                    if row.is_reversal
                    else _("Commission, order %(order)s")
                )
                % {"order": row.order_number or "—"},
                amount_excl_vat_cents=row.commission_cents,
                vat_rate_bp=row.vat_rate_bp,
                vat_cents=row.vat_cents,
            )
            for position, row in enumerate(rows, start=1)
        )
        _issued(invoice, actor)
    return invoice, True


def issue_commission_invoices(*, period: date, actor: Actor = SYSTEM_ACTOR) -> list[Invoice]:
    """Issue every store's commission invoice for `period`'s month (the monthly job, HQ's
    admin action) and return those issued now: a store already invoiced gets nothing new."""
    store_ids = (
        LedgerAccount.objects.filter(store__isnull=False)
        .order_by("store_id")
        .values_list("store_id", flat=True)
        .distinct()
    )
    issued = []
    for store in Store.objects.filter(pk__in=list(store_ids)).order_by("pk"):
        invoice, created = _issue_commission_invoice(store=store, period=period, actor=actor)
        if created and invoice is not None:
            issued.append(invoice)
    return issued


def issue_credit_note(
    *, invoice: Invoice, reason: str, actor: Actor, marketing_charge_reversed: bool = False
) -> Invoice:
    """Cancel `invoice` as a whole with a credit note of its own series that references it
    (its lines, the same amounts). The invoice itself is left as issued. Raises
    InvoiceNotAllowed for a credit note, or an invoice already credited. A marketing invoice
    is credited only by the hub, which reverses its charge in the ledger at the same time
    (`marketing_charge_reversed`): a credit note alone would leave the store charged."""
    if invoice.kind != Invoice.Kind.INVOICE:
        raise InvoiceNotAllowed(_("Only an invoice can be credited."), invoice=invoice.number)
    if is_marketing_invoice(invoice) and not marketing_charge_reversed:
        raise InvoiceNotAllowed(
            _("A marketing invoice is credited by cancelling its order in the marketing hub."),
            invoice=invoice.number,
        )
    if not reason.strip():
        raise InvoiceNotAllowed(_("Say why the invoice is credited."), invoice=invoice.number)
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if invoice.credit_notes.exists():
            raise InvoiceNotAllowed(
                _("Invoice %(number)s is already credited.") % {"number": invoice.number},
                invoice=invoice.number,
            )
        locked = _lock_series(
            Invoice.Kind.CREDIT_NOTE,
            timezone.localdate().year,
            marketing=is_marketing_invoice(invoice),
        )
        now = timezone.now()
        series, sequence, number = _take_number(locked)
        note = Invoice.objects.create(
            kind=Invoice.Kind.CREDIT_NOTE,
            number=number,
            series=series,
            sequence=sequence,
            store=invoice.store,
            period_start=invoice.period_start,
            period_end=invoice.period_end,
            issued_at=now,
            due_date=timezone.localdate(now),
            total_excl_vat_cents=invoice.total_excl_vat_cents,
            vat_cents=invoice.vat_cents,
            total_incl_vat_cents=invoice.total_incl_vat_cents,
            vat_breakdown=invoice.vat_breakdown,
            seller=seller_identity(),
            buyer=invoice.buyer,
            payment_terms=_("Credited against the store's balance."),
            credited_invoice=invoice,
            reason=reason.strip()[:300],
            issued_by_label=actor_label(actor),
        )
        InvoiceLine.objects.bulk_create(
            InvoiceLine(
                invoice=note,
                position=line.position,
                entry=line.entry,
                date=line.date,
                label=line.label,
                order_number=line.order_number,
                amount_excl_vat_cents=line.amount_excl_vat_cents,
                vat_rate_bp=line.vat_rate_bp,
                vat_cents=line.vat_cents,
            )
            for line in invoice.lines.all()
        )
        _issued(note, actor)
    return note


# The marketing hub's invoices


@dataclass(frozen=True)
class MarketingInvoiceLine:
    """One line of a marketing invoice: the store's share of one thing it bought, excl. VAT,
    and the ledger entry that charged it (its VAT is the entry's: the same rounding)."""

    label: str
    amount_excl_vat_cents: int
    vat_rate_bp: int
    vat_cents: int
    entry: JournalEntry
    order_number: str = ""


def is_marketing_invoice(invoice: Invoice) -> bool:
    return invoice.series.startswith(
        (
            MARKETING_SERIES_PREFIX[Invoice.Kind.INVOICE],
            MARKETING_SERIES_PREFIX[Invoice.Kind.CREDIT_NOTE],
        )
    )


def issue_marketing_invoice(
    *, store: Store, lines: Sequence[MarketingInvoiceLine], actor: Actor
) -> Invoice:
    """Issue `store` the invoice of a marketing charge in HQ's marketing series ("FM2027-…"),
    or return the invoice already issued for the same ledger entries (a retried charge issues
    one invoice). Checked under the series lock, so two issues at once can't both pass."""
    if not lines:
        raise InvoiceNotAllowed(_("A marketing invoice needs at least one line."))
    with transaction.atomic():
        locked = _lock_series(Invoice.Kind.INVOICE, timezone.localdate().year, marketing=True)
        existing = Invoice.objects.filter(
            kind=Invoice.Kind.INVOICE, lines__entry=lines[0].entry
        ).first()
        if existing is not None:
            return existing
        now = timezone.now()
        today = timezone.localdate(now)
        series, sequence, number = _take_number(locked)
        groups: dict[int, list[int]] = defaultdict(lambda: [0, 0])
        for line in lines:
            groups[line.vat_rate_bp][0] += line.amount_excl_vat_cents
            groups[line.vat_rate_bp][1] += line.vat_cents
        excl = sum(line.amount_excl_vat_cents for line in lines)
        vat = sum(line.vat_cents for line in lines)
        invoice = Invoice.objects.create(
            kind=Invoice.Kind.INVOICE,
            number=number,
            series=series,
            sequence=sequence,
            store=store,
            period_start=today,
            period_end=today,
            issued_at=now,
            due_date=today + timedelta(days=PAYMENT_DAYS),
            total_excl_vat_cents=excl,
            vat_cents=vat,
            total_incl_vat_cents=excl + vat,
            vat_breakdown=[
                {"rate_bp": rate_bp, "base_cents": base, "vat_cents": tax}
                for rate_bp, (base, tax) in sorted(groups.items(), reverse=True)
            ],
            seller=seller_identity(),
            buyer=buyer_identity(store),
            payment_terms=payment_terms(),
            issued_by_label=actor_label(actor),
        )
        InvoiceLine.objects.bulk_create(
            InvoiceLine(
                invoice=invoice,
                position=position,
                entry=line.entry,
                date=today,
                order_number=line.order_number[:40],
                label=line.label[:200],
                amount_excl_vat_cents=line.amount_excl_vat_cents,
                vat_rate_bp=line.vat_rate_bp,
                vat_cents=line.vat_cents,
            )
            for position, line in enumerate(lines, start=1)
        )
        _issued(invoice, actor)
    return invoice


def _issued(invoice: Invoice, actor: Actor) -> None:
    # Issued as Factur-X: the worker sends it to the e-invoicing platform after commit.
    queue_transmission(invoice=invoice)
    record_audit_event(
        actor=actor,
        action=f"{invoice.kind}.issued",
        target=invoice,
        store_id=invoice.store_id,
        data={
            "number": invoice.number,
            "total_incl_vat_cents": invoice.total_incl_vat_cents,
            "credits": invoice.credited_invoice.number if invoice.credited_invoice else "",
        },
    )
    emit_event(
        event_type="invoice.issued",
        store_id=invoice.store_id,
        event_id=f"invoice.issued:{invoice.number}",
        data={
            "number": invoice.number,
            "kind": invoice.kind,
            "total_incl_vat_cents": invoice.total_incl_vat_cents,
            "period": invoice.period_start.isoformat(),
        },
    )
