"""HQ's invoices and credit notes to the stores as Factur-X e-invoices (EN 16931 profile).

A Factur-X invoice is the PDF a person reads (payments/pdf.py) made PDF/A-3, with the same
invoice as structured data embedded in it: the UN/CEFACT Cross Industry Invoice (CII) XML,
which the buyer's software (and, from the French 2026 reform, the certified platforms) reads
without retyping. Both are built from the stored `Invoice` row, so the same invoice always
gives the same document:

- `cii_xml(invoice)`: the CII XML, built with `drafthorse` (which validates it against the
  Factur-X EN 16931 XSD as it serializes): seller HQ (settings.NETWORK_OPERATOR, as copied on
  the invoice), buyer the store's identity copied at issue, one line per invoice line, the VAT
  breakdown per rate, the totals, the due date and payment terms; type code 380 for an invoice,
  381 for a credit note with the reference of the invoice it credits.
- `facturx_pdf(invoice)`: the PDF with the XML embedded by `facturx.generate_from_binary`
  (level "en16931", XSD-checked again by the library).
- `check_facturx(pdf)`: what a receiver would check: the embedded XML is found, is Factur-X
  EN 16931, passes the library's XSD check.

Every invoice kind goes through here: commission invoices (F…), their credit notes (AV…), the
marketing hub's invoices (FM…) and credit notes (AVM…). A reversal line (a refunded sale's
commission) is a negative line amount with a negative quantity: EN 16931 forbids a negative
price (BR-27), not a negative line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

import facturx
from django.utils import timezone
from django.utils.translation import gettext as _
from drafthorse.models.accounting import ApplicableTradeTax
from drafthorse.models.document import Document
from drafthorse.models.note import IncludedNote
from drafthorse.models.party import TaxRegistration, TradeParty
from drafthorse.models.payment import PaymentTerms
from drafthorse.models.tradelines import LineItem
from lxml import etree

from .models import Invoice
from .pdf import invoice_pdf

EN16931 = "urn:cen.eu:en16931:2017"
SCHEMA = "FACTUR-X_EN16931"
TYPE_INVOICE, TYPE_CREDIT_NOTE = "380", "381"
# UNTDID 4461: 97 "clearing between partners" (netted from the store's payouts), 30 "credit
# transfer" for what the store pays by itself.
PAYMENT_NETTED = "97"
UNIT = "C62"  # UN/ECE rec. 20: one (a commission is not counted in pieces)
SIREN_SCHEME = "0002"  # ISO 6523 ICD of the French SIREN
XML_FILENAME = "factur-x.xml"


class FacturXError(Exception):
    """The embedded invoice is missing or does not pass the library's validation."""


def cents(value: int) -> Decimal:
    return (Decimal(value) / 100).quantize(Decimal("0.01"))


def percent(rate_bp: int) -> Decimal:
    return (Decimal(rate_bp) / 100).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Address:
    line: str
    postcode: str
    city: str
    country: str


ADDRESS_RE = re.compile(
    r"^(?P<line>.+?),\s*(?P<postcode>[0-9]{4,5})\s+(?P<city>[^,]+?)\s*(?:,\s*(?P<country>[^,]+))?$"
)
COUNTRY_NAMES = {"france": "FR", "belgique": "BE", "belgium": "BE", "luxembourg": "LU"}


def split_address(text: str, *, country: str = "FR") -> Address:
    """ "12 rue de la République, 69002 Lyon, France" → line, postcode, city, country code;
    an address written otherwise is kept whole on the first line."""
    text = " ".join((text or "").split())
    match = ADDRESS_RE.match(text)
    if match is None:
        return Address(line=text, postcode="", city="", country=country)
    named = (match.group("country") or "").strip()
    code = COUNTRY_NAMES.get(named.lower(), named.upper() if len(named) == 2 else country)
    return Address(
        line=match.group("line"),
        postcode=match.group("postcode"),
        city=match.group("city"),
        country=code,
    )


SIREN_RE = re.compile(r"(?<![0-9])([0-9]{3})\s?([0-9]{3})\s?([0-9]{3})(?![0-9])")


def siren_in(*texts: str) -> str:
    """The first 9-digit SIREN written in `texts` ("RCS Lyon 812 340 001" → "812340001"); a
    French VAT number carries it after its two-digit key."""
    for text in texts:
        text = text or ""
        if re.fullmatch(r"FR[0-9A-Z]{2}[0-9]{9}", text.replace(" ", "")):
            return text.replace(" ", "")[-9:]
        match = SIREN_RE.search(text)
        if match:
            return "".join(match.groups())
    return ""


def _party(party: TradeParty, *, name: str, address: Address, siren: str, vat: str) -> None:
    party.name = name
    if siren:
        party.legal_organization.id = (SIREN_SCHEME, siren)
    party.address.line_one = address.line
    if address.postcode:
        party.address.postcode = address.postcode
    if address.city:
        party.address.city_name = address.city
    party.address.country_id = address.country
    if vat:
        party.tax_registrations.add(TaxRegistration(id=("VA", vat.replace(" ", ""))))


def build_document(invoice: Invoice) -> Document:
    """The invoice as drafthorse's CII document (EN 16931)."""
    credit = invoice.kind == Invoice.Kind.CREDIT_NOTE
    seller, buyer = invoice.seller, invoice.buyer
    doc = Document()
    doc.context.guideline_parameter.id = EN16931
    doc.header.id = invoice.number
    doc.header.type_code = TYPE_CREDIT_NOTE if credit else TYPE_INVOICE
    doc.header.issue_date_time = timezone.localtime(invoice.issued_at).date()
    for subject, text in _notes(invoice):
        note = IncludedNote()
        note.content = text
        note.subject_code = subject
        doc.header.notes.add(note)

    _party(
        doc.trade.agreement.seller,
        name=seller.get("company_name", ""),
        address=split_address(seller.get("address", "")),
        siren=seller.get("siren") or siren_in(seller.get("registration_number", "")),
        vat=seller.get("vat_number", ""),
    )
    _party(
        doc.trade.agreement.buyer,
        name=buyer.get("company_name") or buyer.get("store", ""),
        address=split_address(buyer.get("legal_address", ""), country=buyer.get("country", "FR")),
        siren=siren_in(buyer.get("vat_number", ""), buyer.get("registration_number", "")),
        vat=buyer.get("vat_number", ""),
    )
    doc.trade.agreement.buyer_reference = buyer.get("store", "")[:100]

    settlement = doc.trade.settlement
    settlement.currency_code = invoice.currency
    settlement.payment_means.type_code = PAYMENT_NETTED
    settlement.period.start = invoice.period_start
    settlement.period.end = invoice.period_end
    if credit and invoice.credited_invoice is not None:
        credited = invoice.credited_invoice
        settlement.invoice_referenced_document.issuer_assigned_id = credited.number
        settlement.invoice_referenced_document.issue_date_time = timezone.localtime(
            credited.issued_at
        ).date()
    for group in invoice.vat_breakdown:
        tax = ApplicableTradeTax()
        tax.calculated_amount = cents(group["vat_cents"])
        tax.basis_amount = cents(group["base_cents"])
        tax.type_code = "VAT"
        tax.category_code = "S"
        tax.rate_applicable_percent = percent(group["rate_bp"])
        settlement.trade_tax.add(tax)
    terms = PaymentTerms()
    terms.description = invoice.payment_terms[:500]
    if not credit:
        terms.due = invoice.due_date
    settlement.terms.add(terms)

    for line in invoice.lines.all():
        item = LineItem()
        item.document.line_id = str(line.position)
        item.product.name = line.label
        sign = -1 if line.amount_excl_vat_cents < 0 else 1
        item.agreement.net.amount = cents(abs(line.amount_excl_vat_cents))
        item.delivery.billed_quantity = (Decimal(sign), UNIT)
        item.settlement.trade_tax.type_code = "VAT"
        item.settlement.trade_tax.category_code = "S"
        item.settlement.trade_tax.rate_applicable_percent = percent(line.vat_rate_bp)
        item.settlement.monetary_summation.total_amount = cents(line.amount_excl_vat_cents)
        doc.trade.items.add(item)

    totals = settlement.monetary_summation
    line_total = sum(line.amount_excl_vat_cents for line in invoice.lines.all())
    totals.line_total = cents(line_total)
    totals.charge_total = cents(0)
    totals.allowance_total = cents(0)
    totals.tax_basis_total = cents(invoice.total_excl_vat_cents)
    totals.tax_total = (cents(invoice.vat_cents), invoice.currency)
    totals.grand_total = cents(invoice.total_incl_vat_cents)
    totals.prepaid_total = cents(0)
    totals.due_amount = cents(invoice.total_incl_vat_cents)
    return doc


def _notes(invoice: Invoice) -> list[tuple[str, str]]:
    """The free-text notes French law asks on the invoice, with their UNTDID 4451 subjects:
    REG the seller's legal form and registration, PMT/PMD the late-payment terms, and the reason
    of a credit note (ACD)."""
    seller = invoice.seller
    notes = [
        (
            "REG",
            " · ".join(filter(None, [seller.get("legal_form"), seller.get("registration_number")])),
        ),
        ("PMT", invoice.payment_terms),
    ]
    if invoice.reason:
        notes.append(("ACD", invoice.reason))
    return [(subject, text) for subject, text in notes if text]


def cii_xml(invoice: Invoice) -> bytes:
    """The invoice's CII XML, validated by drafthorse against the Factur-X EN 16931 XSD."""
    return build_document(invoice).serialize(schema=SCHEMA)


def facturx_pdf(invoice: Invoice) -> bytes:
    """The invoice's PDF (payments/pdf.py) as a Factur-X PDF/A-3 with its CII XML embedded."""
    title = (
        _("Credit note %(number)s")
        if invoice.kind == Invoice.Kind.CREDIT_NOTE
        else _("Invoice %(number)s")
    ) % {"number": invoice.number}
    return facturx.generate_from_binary(
        invoice_pdf(invoice),
        cii_xml(invoice),
        flavor="factur-x",
        level="en16931",
        check_xsd=True,
        pdf_metadata={
            "author": invoice.seller.get("company_name", ""),
            "keywords": "Factur-X, EN 16931",
            "title": title,
            "subject": title,
        },
        lang="fr-FR",
    )


def embedded_xml(pdf: bytes) -> bytes:
    """The CII XML embedded in a Factur-X PDF (FacturXError when there is none)."""
    filename, xml = facturx.get_xml_from_pdf(pdf, check_xsd=False)
    if not xml or filename != XML_FILENAME:
        raise FacturXError("No Factur-X XML is embedded in the PDF.")
    return xml


def check_facturx(pdf: bytes) -> bytes:
    """Check a Factur-X PDF as a receiver would: its embedded XML is Factur-X at the EN 16931
    level and passes the library's XSD check. Returns the XML; raises FacturXError."""
    xml = embedded_xml(pdf)
    tree = etree.fromstring(xml)
    if facturx.get_flavor(tree) != "factur-x" or facturx.get_level(tree) != "en16931":
        raise FacturXError("The embedded XML is not a Factur-X EN 16931 invoice.")
    try:
        facturx.xml_check_xsd(tree, flavor="factur-x", level="en16931")
    except Exception as exc:  # the library raises a bare Exception with the XSD's message
        raise FacturXError(str(exc)) from exc
    return xml
