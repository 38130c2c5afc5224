"""The selling store's invoice to the customer for each order part, and the credit notes of
its refunds (issue 13).

When a fulfilment's goods leave (collected, shipped, purchased in store... the moment
`postings.record_sale` books the sale), the store that sold them issues its invoice for that
part: the units and the delivery fee the part carries, at the prices the customer paid (VAT
included), their VAT per rate, the store's legal mentions (company name, legal address,
registration number, VAT number, copied at issue) and "Vendu par <store> via <network>".
Nothing is issued for reserve & collect (paid at the store's till, which invoices it) or an
order with nothing paid online: `record_sale` books no sale for them either.

A refund of returned (or withdrawn) units issues a credit note on each invoice it touches, for
what it gives back of that invoice (a partial refund: a partial credit note), in the same
transaction as the refund.

Numbers: each store has its own gapless series per kind and year, `F<store>-<year>-<n>` and
`A<store>-<year>-<n>`: the issuing transaction locks the series' counter row, so numbers follow
the order of issue and a rolled-back issue gives its number back (as HQ's invoices,
payments/invoices.py).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from fulfillment.models import Fulfilment, Return, Withdrawal
from network_marketplace.audit import Actor, record_audit_event
from orders.models import Order
from stores.models import Store

from .commission import HUNDRED, half_up
from .models import (
    CustomerInvoice,
    CustomerInvoiceLine,
    CustomerInvoiceSeries,
    Refund,
    SaleSplit,
    SplitReversal,
)
from .postings import record_sale, reverse_return_sales

# The delivery fee's VAT rate, as the sale's split counts it (payments/commission.py).
DELIVERY_VAT_PERCENT = Decimal(20)
SERIES_LETTER: dict[str, str] = {
    CustomerInvoice.Kind.INVOICE: "F",
    CustomerInvoice.Kind.CREDIT_NOTE: "A",
}


def vat_in(gross_cents: int, percent: Decimal) -> int:
    """The VAT included in a price, half up to the cent."""
    return half_up(Decimal(gross_cents) * percent / (HUNDRED + percent))


def seller_identity(store: Store) -> dict[str, str]:
    """The store's legal mentions, as printed on its invoices (copied at issue)."""
    return {
        "store": store.name,
        "company_name": store.company_name or store.name,
        "legal_address": store.legal_address
        or f"{store.address_line}, {store.postal_code} {store.city}",
        "registration_number": store.registration_number,
        "vat_number": store.vat_number,
    }


def customer_identity(order: Order) -> dict[str, str]:
    address = (
        f"{order.address_line}, {order.postal_code} {order.city}" if order.address_line else ""
    )
    return {
        "name": f"{order.first_name} {order.last_name}".strip(),
        "email": order.email,
        "address": address,
    }


def _lock_series(store: Store, kind: str, year: int) -> CustomerInvoiceSeries:
    try:  # the year's first issue makes the row, in its own savepoint (a racing one wins)
        with transaction.atomic():
            CustomerInvoiceSeries.objects.get_or_create(store=store, kind=kind, year=year)
    except IntegrityError:
        pass
    return CustomerInvoiceSeries.objects.select_for_update().get(store=store, kind=kind, year=year)


def _take_number(store: Store, kind: str) -> tuple[int, int, str, Any]:
    """Lock `store`'s series of `kind` for this year and take its next number: (year,
    sequence, number, issued_at). Call inside the issuing transaction."""
    year = timezone.localdate().year
    series = _lock_series(store, kind, year)
    series.last_number += 1
    series.save(update_fields=["last_number"])
    number = f"{SERIES_LETTER[kind]}{store.pk:04d}-{year}-{series.last_number:05d}"
    return year, series.last_number, number, timezone.now()  # the time after the lock's wait


def _breakdown(lines: list[CustomerInvoiceLine]) -> list[dict[str, int]]:
    groups: dict[int, dict[str, int]] = defaultdict(lambda: {"base_cents": 0, "vat_cents": 0})
    for line in lines:
        groups[line.vat_rate_bp]["base_cents"] += line.total_incl_vat_cents - line.vat_cents
        groups[line.vat_rate_bp]["vat_cents"] += line.vat_cents
    return [{"rate_bp": rate, **groups[rate]} for rate in sorted(groups, reverse=True)]


def _issue(
    *,
    kind: str,
    fulfilment: Fulfilment,
    lines: list[CustomerInvoiceLine],
    actor: Actor,
    credited: CustomerInvoice | None = None,
    refund: Refund | None = None,
    reason: str = "",
) -> CustomerInvoice:
    store, order = fulfilment.store, fulfilment.order
    year, sequence, number, issued_at = _take_number(store, kind)
    breakdown = _breakdown(lines)
    vat = sum(group["vat_cents"] for group in breakdown)
    total = sum(line.total_incl_vat_cents for line in lines)
    invoice = CustomerInvoice.objects.create(
        kind=kind,
        number=number,
        store=store,
        year=year,
        sequence=sequence,
        order=order,
        fulfilment=fulfilment,
        credited_invoice=credited,
        refund=refund,
        issued_at=issued_at,
        currency=order.currency,
        total_excl_vat_cents=total - vat,
        vat_cents=vat,
        total_incl_vat_cents=total,
        vat_breakdown=breakdown,
        seller=credited.seller if credited else seller_identity(store),
        customer=credited.customer if credited else customer_identity(order),
        network=settings.NETWORK_NAME,
        reason=reason[:300],
    )
    for position, line in enumerate(lines, start=1):
        line.invoice, line.position = invoice, position
    CustomerInvoiceLine.objects.bulk_create(lines)
    record_audit_event(
        actor=actor,
        action=f"payments.customer_{kind}_issued",
        target=invoice,
        store_id=store.pk,
        data={"number": number, "order": order.pk, "total_cents": total},
    )
    return invoice


def _line(label: str, sku: str, quantity: int, gross: int, percent: Decimal) -> CustomerInvoiceLine:
    return CustomerInvoiceLine(
        label=label,
        sku=sku,
        quantity=quantity,
        total_incl_vat_cents=gross,
        vat_rate_bp=int(percent * 100),
        vat_cents=vat_in(gross, percent),
    )


def issue_customer_invoice(
    *, fulfilment: Fulfilment, splits: list[SaleSplit], actor: Actor
) -> CustomerInvoice | None:
    """The selling store's invoice for `fulfilment`, from the sale's splits (what the customer
    paid for its units and its share of the delivery fee). Idempotent: a part already invoiced
    returns its invoice. None when no sale was booked (nothing paid online)."""
    if not splits:
        return None
    existing = CustomerInvoice.objects.filter(
        fulfilment=fulfilment, kind=CustomerInvoice.Kind.INVOICE
    ).first()
    if existing is not None:
        return existing
    with override(fulfilment.order.language or settings.LANGUAGE_CODE):
        delivery_label = _("Home delivery")
    lines = []
    for split in sorted(splits, key=lambda each: (each.kind != SaleSplit.Kind.GOODS, each.pk)):
        if split.kind == SaleSplit.Kind.GOODS and split.order_line is not None:
            order_line = split.order_line
            label = order_line.product_name + (
                f" ({order_line.options_label})" if order_line.options_label else ""
            )
            lines.append(
                _line(
                    label,
                    order_line.sku,
                    split.quantity,
                    split.gross_cents,
                    Decimal(order_line.vat_percent),
                )
            )
        elif split.gross_cents:
            lines.append(_line(delivery_label, "", 1, split.gross_cents, DELIVERY_VAT_PERCENT))
    if not lines:
        return None
    return _issue(
        kind=CustomerInvoice.Kind.INVOICE, fulfilment=fulfilment, lines=lines, actor=actor
    )


def record_sale_and_invoice(*, fulfilment: Fulfilment, actor: Actor) -> list[SaleSplit]:
    """What `fulfillment.hooks.record_sale` does: book the sale (postings.record_sale), then
    issue the store's invoice to the customer for it, in the move's transaction."""
    splits = record_sale(fulfilment=fulfilment, actor=actor)
    issue_customer_invoice(fulfilment=fulfilment, splits=splits, actor=actor)
    return splits


def issue_credit_notes(
    *,
    reversals: list[SplitReversal],
    refund: Refund,
    actor: Actor,
    reason: str,
    units: dict[int, int] | None = None,
) -> list[CustomerInvoice]:
    """One credit note per invoice the refund gives money back on, for what it gives back of
    each line (a partial refund: a partial credit note). `units`: the units returned of each
    fulfilment line (default: the whole line). Idempotent per refund and invoice."""
    units = units or {}
    by_fulfilment: dict[int, list[SplitReversal]] = defaultdict(list)
    for reversal in reversals:
        if reversal.gross_cents > 0:
            by_fulfilment[reversal.split.fulfilment_id].append(reversal)
    made = []
    for fulfilment_id in sorted(by_fulfilment):
        invoice = (
            CustomerInvoice.objects.filter(
                fulfilment_id=fulfilment_id, kind=CustomerInvoice.Kind.INVOICE
            )
            .select_related("fulfilment__store", "fulfilment__order")
            .first()
        )
        if invoice is None:  # a sale invoiced before customer invoices existed
            continue
        already = CustomerInvoice.objects.filter(credited_invoice=invoice, refund=refund).first()
        if already is not None:
            made.append(already)
            continue
        with override(invoice.order.language or settings.LANGUAGE_CODE):
            delivery_label = _("Home delivery")
        rates = {line.sku: line.vat_rate_bp for line in invoice.lines.all() if line.sku}
        lines = []
        for reversal in sorted(by_fulfilment[fulfilment_id], key=lambda each: each.split_id):
            split = reversal.split
            if split.kind == SaleSplit.Kind.GOODS and split.order_line is not None:
                order_line = split.order_line
                percent = Decimal(rates.get(order_line.sku, int(order_line.vat_percent * 100)))
                lines.append(
                    _line(
                        order_line.product_name,
                        order_line.sku,
                        units.get(split.fulfilment_line_id or 0, split.quantity),
                        reversal.gross_cents,
                        percent / 100,
                    )
                )
            else:
                lines.append(
                    _line(delivery_label, "", 1, reversal.gross_cents, DELIVERY_VAT_PERCENT)
                )
        made.append(
            _issue(
                kind=CustomerInvoice.Kind.CREDIT_NOTE,
                fulfilment=invoice.fulfilment,
                lines=lines,
                actor=actor,
                credited=invoice,
                refund=refund,
                reason=reason,
            )
        )
    return made


def reverse_return_sales_and_credit(
    *, return_request: Return, refund: Refund | None, actor: Actor
) -> list[SplitReversal]:
    """What `fulfillment.hooks.reverse_return_sales` does: take back the returned units' sale
    splits (postings.reverse_return_sales), then issue the credit notes of the refund."""
    reversals = reverse_return_sales(return_request=return_request, refund=refund, actor=actor)
    if refund is None or not reversals:
        return reversals
    withdrawal = Withdrawal.objects.filter(return_request=return_request).first()
    with override(return_request.order.language or settings.LANGUAGE_CODE):
        reason = (
            _("Withdrawal %(reference)s, return %(number)s")
            % {"reference": withdrawal.reference, "number": return_request.number}
            if withdrawal is not None
            else _("Return %(number)s") % {"number": return_request.number}
        )
    issue_credit_notes(
        reversals=list(
            SplitReversal.objects.filter(pk__in=[r.pk for r in reversals]).select_related(
                "split__order_line"
            )
        ),
        refund=refund,
        actor=actor,
        reason=reason,
        units={line.fulfilment_line_id: line.quantity for line in return_request.lines.all()},
    )
    return reversals
