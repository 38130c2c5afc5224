"""The PDF of a store's invoice or credit note to a customer (reportlab), rendered from the
stored rows: the same document always gives the same PDF, whatever changed since in the
store's identity. The mentions of a French invoice to a consumer: the seller's company name,
legal address, registration (SIREN/RCS) and VAT numbers, the number and date, the customer,
each line with its quantity, price VAT included and VAT rate, the VAT per rate and the totals;
and who sold: "Vendu par <store> via <network>"."""

from __future__ import annotations

from datetime import datetime
from io import BytesIO

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from .models import CustomerInvoice
from .pdf import TABLE_STYLE, _document, _p, _styles, euros, rate


def _day(value: datetime) -> str:
    return date_format(timezone.localtime(value).date(), "SHORT_DATE_FORMAT")


def customer_invoice_pdf(invoice: CustomerInvoice) -> bytes:
    normal, title_style, heading = _styles()
    buffer = BytesIO()
    credit = invoice.kind == CustomerInvoice.Kind.CREDIT_NOTE
    title = (_("Credit note %(number)s") if credit else _("Invoice %(number)s")) % {
        "number": invoice.number
    }
    doc = _document(buffer, title)
    seller, customer = invoice.seller, invoice.customer
    seller_text = "\n".join(
        filter(
            None,
            [
                seller.get("company_name"),
                seller.get("legal_address"),
                seller.get("registration_number"),
                _("VAT number: %(vat)s") % {"vat": seller.get("vat_number") or "—"},
            ],
        )
    )
    customer_text = "\n".join(
        filter(None, [customer.get("name"), customer.get("address"), customer.get("email")])
    )
    order = invoice.order
    facts = [
        _("Number: %(number)s") % {"number": invoice.number},
        _("Date: %(date)s") % {"date": _day(invoice.issued_at)},
        _("Order: %(number)s of %(date)s")
        % {"number": order.number, "date": _day(order.placed_at or order.created_at)},
    ]
    if credit and invoice.credited_invoice is not None:
        facts.append(_("Credits invoice %(number)s") % {"number": invoice.credited_invoice.number})
        if invoice.reason:
            facts.append(_("Reason: %(reason)s") % {"reason": invoice.reason})
    sold_by = _("Sold by %(store)s via %(network)s") % {
        "store": seller.get("store") or seller.get("company_name", ""),
        "network": invoice.network,
    }
    story = [
        _p(title, title_style),
        _p(sold_by, heading),
        Table(
            [
                [_p(_("Seller"), heading), _p(_("Customer"), heading)],
                [_p(seller_text, normal), _p(customer_text, normal)],
            ],
            colWidths=[87 * mm, 87 * mm],
        ),
        Spacer(1, 4 * mm),
        _p("\n".join(facts), normal),
        Spacer(1, 4 * mm),
    ]
    rows = [
        [
            _("Description"),
            _("Quantity"),
            pgettext("invoice column", "VAT rate"),
            _("Excl. VAT"),
            _("VAT"),
            _("Incl. VAT"),
        ]
    ]
    for line in invoice.lines.all():
        label = line.label + (f"\n{line.sku}" if line.sku else "")
        rows.append(
            [
                _p(label, normal),
                str(line.quantity),
                rate(line.vat_rate_bp),
                euros(line.total_excl_vat_cents),
                euros(line.vat_cents),
                euros(line.total_incl_vat_cents),
            ]
        )
    table = Table(
        rows, colWidths=[72 * mm, 16 * mm, 18 * mm, 24 * mm, 20 * mm, 24 * mm], repeatRows=1
    )
    table.setStyle(TableStyle([*TABLE_STYLE.getCommands(), ("ALIGN", (1, 0), (-1, -1), "RIGHT")]))
    story += [table, Spacer(1, 5 * mm)]
    vat_rows = [[pgettext("invoice column", "VAT rate"), _("Base excl. VAT"), _("VAT")]]
    for group in invoice.vat_breakdown:
        vat_rows.append(
            [rate(group["rate_bp"]), euros(group["base_cents"]), euros(group["vat_cents"])]
        )
    vat_rows += [
        [_("Total excl. VAT"), "", euros(invoice.total_excl_vat_cents)],
        [_("Total VAT"), "", euros(invoice.vat_cents)],
        [_("Total incl. VAT"), "", euros(invoice.total_incl_vat_cents)],
    ]
    totals = Table(vat_rows, colWidths=[40 * mm, 35 * mm, 30 * mm], hAlign="RIGHT")
    totals.setStyle(
        TableStyle(
            [
                *TABLE_STYLE.getCommands(),
                ("FONTNAME", (0, -1), (-1, -1), "Helvetica-Bold"),
                ("LINEABOVE", (0, -3), (-1, -3), 0.5, colors.black),
            ]
        )
    )
    paid = (
        _("Refunded to the means of payment used for the order.")
        if credit
        else _("Paid online when the order was placed, through %(network)s.")
        % {"network": invoice.network}
    )
    story += [totals, Spacer(1, 6 * mm), _p(paid, normal)]
    doc.build(story)
    return buffer.getvalue()
