"""HQ's invoices to the stores as Factur-X (EN 16931): every kind (commission invoice, its
credit note, the marketing hub's invoice and credit note) is a PDF with its CII XML embedded,
which the libraries validate (drafthorse as it builds, factur-x's XSD check on the PDF), and
whose data are the invoice's."""

from __future__ import annotations

import threading
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from zoneinfo import ZoneInfo

import facturx
import pytest
from django.db import connection
from drafthorse.models.document import Document
from lxml import etree
from pypdf import PdfReader

from network_marketplace.models import OutboxMessage
from network_marketplace.outbox import deliver_due_messages
from payments.einvoicing import LocalPlatform, Receipt
from payments.einvoicing.transmission import TRANSMIT_KIND, send_again, transmit
from payments.facturx import (
    FacturXError,
    check_facturx,
    cii_xml,
    facturx_pdf,
    siren_in,
    split_address,
)
from payments.invoices import (
    MarketingInvoiceLine,
    issue_commission_invoice,
    issue_credit_note,
    issue_marketing_invoice,
)
from payments.models import EInvoiceTransmission, Invoice
from payments.pdf import invoice_pdf
from tests.factories import StoreFactory

from .money_helpers import book_marketing_charge, book_reversal, book_sale

PARIS = ZoneInfo("Europe/Paris")
NOVEMBER = date(2026, 11, 1)
NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}


def on(day: int, month: int = 11) -> datetime:
    return datetime(2026, month, day, 12, tzinfo=PARIS)


def text(tree, path: str) -> str:
    return tree.xpath(f"string({path})", namespaces=NS)


@pytest.fixture
def commission_invoice(lyon_store):
    book_sale(lyon_store, gross=10_000, commission=1_500, occurred_at=on(3))
    book_sale(lyon_store, gross=20_000, commission=3_000, occurred_at=on(9))
    book_reversal(lyon_store, gross=10_000, commission=1_500, occurred_at=on(12))
    return issue_commission_invoice(store=lyon_store, period=NOVEMBER, actor="system")


@pytest.fixture
def marketing_invoice(lyon_store):
    entry = book_marketing_charge(lyon_store, amount_excl=2_000, occurred_at=on(5))
    return issue_marketing_invoice(
        store=lyon_store,
        lines=[
            MarketingInvoiceLine(
                label="Kit vitrine printemps", amount_excl_vat_cents=2_000, vat_rate_bp=2000,
                vat_cents=400, entry=entry, order_number="MH-0001",
            )
        ],
        actor="hub",
    )  # fmt: skip


def every_kind(commission_invoice, marketing_invoice):
    return [
        commission_invoice,
        issue_credit_note(invoice=commission_invoice, reason="Taux erroné", actor="hq"),
        marketing_invoice,
        issue_credit_note(
            invoice=marketing_invoice, reason="Commande annulée", actor="hub",
            marketing_charge_reversed=True,
        ),
    ]  # fmt: skip


def test_every_invoice_kind_is_a_factur_x_pdf_that_passes_the_libraries_validation(
    commission_invoice, marketing_invoice
):
    for invoice in every_kind(commission_invoice, marketing_invoice):
        pdf = facturx_pdf(invoice)

        # The PDF carries its XML, Factur-X EN 16931, valid against the library's XSD
        xml = check_facturx(pdf)
        assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931") is True
        # drafthorse reads it back and validates it against its own EN 16931 schema
        parsed = Document.parse(xml)
        assert parsed.header.id._text == invoice.number
        # And the PDF is PDF/A-3 (the XMP says so) with the XML as its "data" attachment
        root = PdfReader(BytesIO(pdf)).trailer["/Root"]
        xmp = root["/Metadata"].get_object().get_data()
        assert b"<pdfaid:part>3</pdfaid:part>" in xmp
        assert b"<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>" in xmp
        attached = root["/AF"][0].get_object()
        assert (attached["/F"], attached["/AFRelationship"]) == ("factur-x.xml", "/Data")


def test_the_xml_says_what_the_invoice_says(commission_invoice):
    tree = etree.fromstring(cii_xml(commission_invoice))

    assert text(tree, "//rsm:ExchangedDocument/ram:ID") == commission_invoice.number
    assert text(tree, "//rsm:ExchangedDocument/ram:TypeCode") == "380"
    assert text(tree, "//rsm:ExchangedDocumentContext//ram:ID") == "urn:cen.eu:en16931:2017"
    seller = "//ram:SellerTradeParty"
    assert text(tree, f"{seller}/ram:Name") == "Ardoise Réseau SAS"
    assert text(tree, f"{seller}/ram:SpecifiedLegalOrganization/ram:ID") == "912345678"
    assert text(tree, f"{seller}/ram:SpecifiedTaxRegistration/ram:ID") == "FR40912345678"
    assert text(tree, f"{seller}/ram:PostalTradeAddress/ram:PostcodeCode") == "69002"
    assert text(tree, f"{seller}/ram:PostalTradeAddress/ram:CountryID") == "FR"
    buyer = "//ram:BuyerTradeParty"
    assert text(tree, f"{buyer}/ram:Name") == commission_invoice.buyer["company_name"]
    assert text(tree, f"{buyer}/ram:SpecifiedTaxRegistration/ram:ID") == "FR45812345672"
    assert text(tree, f"{buyer}/ram:SpecifiedLegalOrganization/ram:ID") == "812345672"
    assert text(tree, f"{buyer}/ram:PostalTradeAddress/ram:CityName") == "Lyon"
    # Three lines: two commissions and the reversal (negative quantity, positive price)
    lines = tree.xpath("//ram:IncludedSupplyChainTradeLineItem", namespaces=NS)
    amounts = [text(line, ".//ram:LineTotalAmount") for line in lines]
    assert amounts == ["15.00", "30.00", "-15.00"]
    assert text(lines[2], ".//ram:BilledQuantity") in {"-1", "-1.0000"}
    assert text(lines[2], ".//ram:NetPriceProductTradePrice/ram:ChargeAmount") == "15.00"
    # VAT breakdown and totals
    assert text(tree, "//ram:ApplicableTradeTax/ram:BasisAmount") == "30.00"
    assert text(tree, "//ram:ApplicableTradeTax/ram:CalculatedAmount") == "6.00"
    assert text(tree, "//ram:ApplicableTradeTax/ram:RateApplicablePercent") == "20.00"
    summation = "//ram:SpecifiedTradeSettlementHeaderMonetarySummation"
    assert text(tree, f"{summation}/ram:LineTotalAmount") == "30.00"
    assert text(tree, f"{summation}/ram:TaxTotalAmount") == "6.00"
    assert text(tree, f"{summation}/ram:GrandTotalAmount") == "36.00"
    assert text(tree, f"{summation}/ram:DuePayableAmount") == "36.00"
    assert text(
        tree, "//ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/udt:DateTimeString"
    ) == (commission_invoice.due_date.strftime("%Y%m%d"))
    assert "40" in text(tree, "//ram:SpecifiedTradePaymentTerms/ram:Description")


def test_a_credit_note_is_type_381_and_references_the_invoice_it_credits(commission_invoice):
    note = issue_credit_note(invoice=commission_invoice, reason="Taux erroné", actor="hq")

    tree = etree.fromstring(cii_xml(note))

    assert text(tree, "//rsm:ExchangedDocument/ram:TypeCode") == "381"
    assert text(tree, "//ram:InvoiceReferencedDocument/ram:IssuerAssignedID") == (
        commission_invoice.number
    )
    assert "Taux erroné" in text(tree, "//rsm:ExchangedDocument")


def test_a_plain_pdf_is_not_taken_for_a_factur_x(commission_invoice):
    with pytest.raises(FacturXError):
        check_facturx(invoice_pdf(commission_invoice))


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("12 rue de la République, 69002 Lyon, France",
         ("12 rue de la République", "69002", "Lyon", "FR")),
        ("1 place Bellecour, 69002 Lyon", ("1 place Bellecour", "69002", "Lyon", "FR")),
        ("Rue Neuve 5, 1000 Bruxelles, BE", ("Rue Neuve 5", "1000", "Bruxelles", "BE")),
        ("Zone artisanale des Prés", ("Zone artisanale des Prés", "", "", "FR")),
    ],
)  # fmt: skip
def test_a_written_address_is_split_for_the_invoice(written, expected):
    address = split_address(written)
    assert (address.line, address.postcode, address.city, address.country) == expected


def test_the_siren_is_read_from_a_vat_number_or_a_registration_number():
    assert siren_in("FR45812345672") == "812345672"
    assert siren_in("", "RCS Lyon 812 345 672") == "812345672"
    assert siren_in("", "") == ""
    assert Decimal("0") == 0


# Transmission to the certified platform


def test_an_issued_invoice_is_deposited_on_the_platform_by_the_worker(commission_invoice):
    transmission = EInvoiceTransmission.objects.get(invoice=commission_invoice)
    assert transmission.status == EInvoiceTransmission.Status.PENDING
    assert LocalPlatform().received(commission_invoice.number) is None  # not before the worker

    deliver_due_messages(kinds=[TRANSMIT_KIND])

    transmission.refresh_from_db()
    assert transmission.status == EInvoiceTransmission.Status.DEPOSITED
    assert transmission.platform == "local"
    assert transmission.platform_reference == f"LOCAL-{commission_invoice.number}"
    assert transmission.sent_at is not None
    received = LocalPlatform().received(commission_invoice.number)
    assert check_facturx(received) == cii_xml(commission_invoice)
    assert [(e.from_status, e.to_status) for e in transmission.events.all()] == [
        ("pending", "deposited")
    ]
    # Handled again (a worker died before recording its delivery): nothing moves twice
    transmit(OutboxMessage.objects.get(kind=TRANSMIT_KIND))
    assert transmission.events.count() == 1


class RefusingPlatform(LocalPlatform):
    name = "refusing"

    def send(self, *, number, pdf, xml):
        return Receipt(status="rejected", message="SIREN de l'acheteur inconnu de l'annuaire")


def test_a_rejection_is_recorded_and_hq_sends_it_again(settings, commission_invoice):
    settings.EINVOICING_PLATFORM = "tests.payments.test_facturx.RefusingPlatform"
    deliver_due_messages(kinds=[TRANSMIT_KIND])
    transmission = EInvoiceTransmission.objects.get(invoice=commission_invoice)
    assert transmission.status == "rejected"
    assert transmission.message == "SIREN de l'acheteur inconnu de l'annuaire"

    settings.EINVOICING_PLATFORM = "payments.einvoicing.LocalPlatform"
    send_again(transmission=transmission, actor="hq")
    deliver_due_messages(kinds=[TRANSMIT_KIND])

    transmission.refresh_from_db()
    assert transmission.status == "deposited"
    assert [(e.from_status, e.to_status) for e in transmission.events.all()] == [
        ("pending", "rejected"), ("rejected", "pending"), ("pending", "deposited"),
    ]  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_invoices_issued_at_once_are_gapless_and_each_a_valid_factur_x():
    # Given six stores with commission in November
    stores = [StoreFactory() for _ in range(6)]
    for store in stores:
        book_sale(store, occurred_at=on(3))
    barrier = threading.Barrier(len(stores))
    errors = []

    def issue(store):
        try:
            barrier.wait()
            issue_commission_invoice(store=store, period=NOVEMBER, actor="system")
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    # When they are issued at once, each in its own thread and transaction
    threads = [threading.Thread(target=issue, args=(store,)) for store in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # Then the numbers are 1..6 without gap, and each invoice's Factur-X passes validation
    assert errors == []
    issued = list(Invoice.objects.order_by("sequence"))
    assert [invoice.sequence for invoice in issued] == list(range(1, 7))
    deliver_due_messages(kinds=[TRANSMIT_KIND])
    for invoice in issued:
        xml = etree.fromstring(check_facturx(facturx_pdf(invoice)))
        assert text(xml, "//rsm:ExchangedDocument/ram:ID") == invoice.number
        assert invoice.einvoice.status == "deposited"
