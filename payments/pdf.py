"""PDFs of invoices, credit notes and statements (reportlab), rendered from the stored rows:
the same invoice always gives the same document, whatever changed since in the store's or
HQ's identity."""

from __future__ import annotations

from io import BytesIO
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .models import Invoice
from .selectors import Statement


def euros(cents: int) -> str:
    """1234567 → "12 345,67 €" (French formatting, a narrow no-break space for thousands)."""
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(cents), 100)
    return f"{sign}{whole:,}".replace(",", "\u202f") + f",{rest:02d} €"


def rate(bp: int) -> str:
    return f"{bp / 100:.2f}".rstrip("0").rstrip(".").replace(".", ",") + " %"


def _styles() -> tuple[ParagraphStyle, ParagraphStyle, ParagraphStyle]:
    sheet = getSampleStyleSheet()
    return sheet["Normal"], sheet["Title"], sheet["Heading4"]


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


TABLE_STYLE = TableStyle(
    [
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8ecef")),
        ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
        ("ALIGN", (-3, 0), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f7f8f9")]),
    ]
)


def _document(buffer: BytesIO, title: str) -> SimpleDocTemplate:
    return SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
    )


def invoice_pdf(invoice: Invoice) -> bytes:
    """The invoice or credit note with the mentions French law asks of a B2B invoice: both
    parties' identities and VAT numbers, number, date, period, lines, VAT per rate, totals
    excl. and incl. VAT, due date and payment terms (late penalties, 40 € indemnity)."""
    normal, title_style, heading = _styles()
    buffer = BytesIO()
    credit = invoice.kind == Invoice.Kind.CREDIT_NOTE
    title = (_("Credit note %(number)s") if credit else _("Invoice %(number)s")) % {
        "number": invoice.number
    }
    doc = _document(buffer, title)
    seller, buyer = invoice.seller, invoice.buyer
    seller_text = "\n".join(
        filter(
            None,
            [
                seller.get("company_name"),
                seller.get("legal_form"),
                seller.get("address"),
                seller.get("registration_number"),
                _("SIREN %(siren)s · SIRET %(siret)s")
                % {"siren": seller.get("siren", ""), "siret": seller.get("siret", "")},
                _("VAT number: %(vat)s") % {"vat": seller.get("vat_number", "")},
            ],
        )
    )
    buyer_text = "\n".join(
        filter(
            None,
            [
                buyer.get("company_name"),
                buyer.get("legal_address"),
                buyer.get("registration_number"),
                _("VAT number: %(vat)s") % {"vat": buyer.get("vat_number") or "—"},
                _("Store: %(store)s") % {"store": buyer.get("store", "")},
            ],
        )
    )
    issued = timezone.localtime(invoice.issued_at)
    facts = [
        _("Number: %(number)s") % {"number": invoice.number},
        _("Date: %(date)s") % {"date": date_format(issued.date(), "SHORT_DATE_FORMAT")},
        _("Period: %(start)s - %(end)s")
        % {
            "start": date_format(invoice.period_start, "SHORT_DATE_FORMAT"),
            "end": date_format(invoice.period_end, "SHORT_DATE_FORMAT"),
        },
    ]
    if credit and invoice.credited_invoice is not None:
        facts.append(_("Cancels invoice %(number)s") % {"number": invoice.credited_invoice.number})
        facts.append(_("Reason: %(reason)s") % {"reason": invoice.reason})
    else:
        facts.append(
            _("Due date: %(date)s") % {"date": date_format(invoice.due_date, "SHORT_DATE_FORMAT")}
        )
    story = [
        _p(title, title_style),
        Table(
            [
                [_p(_("Seller"), heading), _p(_("Customer"), heading)],
                [_p(seller_text, normal), _p(buyer_text, normal)],
            ],
            colWidths=[87 * mm, 87 * mm],
        ),
        Spacer(1, 4 * mm),
        _p("\n".join(facts), normal),
        Spacer(1, 4 * mm),
    ]
    rows = [
        [
            _("Date"),
            _("Description"),
            pgettext("invoice column", "VAT rate"),
            _("Excl. VAT"),
            _("VAT"),
        ]
    ]
    for line in invoice.lines.all():
        rows.append(
            [
                date_format(line.date, "SHORT_DATE_FORMAT"),
                _p(line.label, normal),
                rate(line.vat_rate_bp),
                euros(line.amount_excl_vat_cents),
                euros(line.vat_cents),
            ]
        )
    table = Table(rows, colWidths=[22 * mm, 90 * mm, 18 * mm, 24 * mm, 20 * mm], repeatRows=1)
    table.setStyle(TABLE_STYLE)
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
    story += [totals, Spacer(1, 6 * mm), _p(invoice.payment_terms, normal)]
    doc.build(story)
    return buffer.getvalue()


def statement_pdf(stmt: Statement) -> bytes:
    """A store's statement: opening balance, every entry of the period, closing balance."""
    normal, title_style, _heading = _styles()
    buffer = BytesIO()
    title = _("Statement %(store)s, %(start)s - %(end)s") % {
        "store": stmt.store.name,
        "start": date_format(stmt.start, "SHORT_DATE_FORMAT"),
        "end": date_format(stmt.end, "SHORT_DATE_FORMAT"),
    }
    doc = _document(buffer, title)
    rows = [[_("Date"), _("Description"), _("Debit"), _("Credit"), _("Balance")]]
    rows.append(["", _("Opening balance"), "", "", euros(stmt.opening_cents)])
    for line in stmt.lines:
        text = line.label + (f" · {line.order_number}" if line.order_number else "")
        rows.append(
            [
                date_format(timezone.localtime(line.occurred_at).date(), "SHORT_DATE_FORMAT"),
                _p(f"{text}\n{line.reference}", normal),
                euros(line.debit_cents) if line.debit_cents else "",
                euros(line.credit_cents) if line.credit_cents else "",
                euros(line.balance_cents),
            ]
        )
    rows.append(
        [
            "",
            _("Closing balance"),
            euros(stmt.debits_cents),
            euros(stmt.credits_cents),
            euros(stmt.closing_cents),
        ]
    )
    table = Table(rows, colWidths=[22 * mm, 82 * mm, 24 * mm, 24 * mm, 24 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                *TABLE_STYLE.getCommands(),
                ("FONTNAME", (0, -1), (-1, -1), "Helvetica-Bold"),
                ("FONTNAME", (0, 1), (-1, 1), "Helvetica-Bold"),
            ]
        )
    )
    story = [
        _p(title, title_style),
        _p(_("What the network owes the store (account 467100), in euros."), normal),
        Spacer(1, 4 * mm),
        table,
    ]
    doc.build(story)
    return buffer.getvalue()
