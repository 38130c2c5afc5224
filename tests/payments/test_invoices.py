"""HQ's monthly commission invoices: lines from the ledger, gapless chronological numbers even
under concurrent issuing, French mandatory mentions, and credit notes instead of edits."""

from __future__ import annotations

import threading
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from network_marketplace.models import AuditEvent
from payments import invoices
from payments.invoices import InvoiceNotAllowed, issue_commission_invoice, issue_credit_note
from payments.models import Invoice, InvoiceNumberSeries
from payments.pdf import invoice_pdf
from tests.factories import StoreFactory

from .money_helpers import book_marketing_charge, book_reversal, book_sale, pdf_text

PARIS = ZoneInfo("Europe/Paris")
NOVEMBER = date(2026, 11, 1)


def on(day: int, month: int = 11, hour: int = 12) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=PARIS)


def test_a_month_s_invoice_lists_the_commission_and_vat_of_the_store_s_sales_less_reversals(
    lyon_store, paris_store
):
    # Given November's sales of the Lyon store (one refunded), a sale on 1 December at
    # 00:30 Paris time, a marketing charge, and a Paris store's sale
    book_sale(lyon_store, gross=10_000, commission=1_500, occurred_at=on(3))
    book_sale(lyon_store, gross=20_000, commission=3_000, occurred_at=on(30, hour=23),
              catchment_store=paris_store, catchment_share=500)  # fmt: skip
    book_reversal(lyon_store, gross=10_000, commission=1_500, occurred_at=on(12))
    book_sale(lyon_store, gross=5_000, commission=700, occurred_at=on(1, month=12, hour=0))
    book_marketing_charge(lyon_store, occurred_at=on(5))
    book_sale(paris_store, gross=7_000, commission=900, occurred_at=on(4))

    # When HQ issues November's invoices
    invoice = issue_commission_invoice(store=lyon_store, period=NOVEMBER, actor="system")

    # Then the Lyon invoice has the two sales and the reversal, in date order
    assert [(line.amount_excl_vat_cents, line.vat_cents) for line in invoice.lines.all()] == [
        (1_500, 300), (-1_500, -300), (3_000, 600),
    ]  # fmt: skip
    assert (invoice.total_excl_vat_cents, invoice.vat_cents, invoice.total_incl_vat_cents) == (
        3_000, 600, 3_600,
    )  # fmt: skip
    assert invoice.vat_breakdown == [{"rate_bp": 2000, "base_cents": 3_000, "vat_cents": 600}]
    assert (invoice.period_start, invoice.period_end) == (date(2026, 11, 1), date(2026, 11, 30))
    assert invoice.number == f"F{invoice.issued_at.year}-000001"
    assert invoice.buyer["vat_number"] == lyon_store.vat_number
    assert invoice.seller["vat_number"] == "FR40912345678"
    assert AuditEvent.objects.filter(action="invoice.issued", store_id=lyon_store.pk).exists()


def test_issuing_a_month_again_gives_the_same_invoice_and_takes_no_number(lyon_store):
    book_sale(lyon_store, occurred_at=on(3))
    first = issue_commission_invoice(store=lyon_store, period=NOVEMBER, actor="system")

    again = invoices.issue_commission_invoices(period=NOVEMBER)

    assert again == []  # nothing new
    assert issue_commission_invoice(store=lyon_store, period=NOVEMBER, actor="x").pk == first.pk
    assert InvoiceNumberSeries.objects.get(prefix=first.series).last_number == 1
    assert Invoice.objects.count() == 1


def test_a_store_without_commission_in_the_month_gets_no_invoice(lyon_store):
    book_marketing_charge(lyon_store, occurred_at=on(5))

    assert issue_commission_invoice(store=lyon_store, period=NOVEMBER, actor="system") is None


def test_numbers_follow_the_order_of_issue_without_gaps(db):
    stores = [StoreFactory() for _ in range(3)]
    for store in stores:
        book_sale(store, occurred_at=on(3))

    issued = invoices.issue_commission_invoices(period=NOVEMBER)

    assert [invoice.sequence for invoice in issued] == [1, 2, 3]
    assert [invoice.issued_at for invoice in issued] == sorted(i.issued_at for i in issued)


@pytest.mark.django_db(transaction=True)
def test_invoice_numbers_have_no_gaps_or_duplicates_under_concurrent_issuing():
    # Given eight stores with commission in November
    stores = [StoreFactory() for _ in range(8)]
    for store in stores:
        book_sale(store, occurred_at=on(3))
    barrier = threading.Barrier(len(stores))
    errors = []

    def issue(store):
        try:
            barrier.wait()
            issue_commission_invoice(store=store, period=NOVEMBER, actor="system")
            issue_commission_invoice(store=store, period=NOVEMBER, actor="system")  # a repeat
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    # When they are all issued at once, each in its own thread and transaction
    threads = [threading.Thread(target=issue, args=(store,)) for store in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # Then the numbers are 1..8, once each, in the order of their issue dates
    assert errors == []
    issued = list(Invoice.objects.order_by("sequence"))
    assert [invoice.sequence for invoice in issued] == list(range(1, 9))
    assert len({invoice.store_id for invoice in issued}) == 8
    assert [i.issued_at for i in issued] == sorted(i.issued_at for i in issued)
    assert InvoiceNumberSeries.objects.get(prefix=issued[0].series).last_number == 8


def test_a_credit_note_cancels_an_invoice_in_its_own_series_and_a_corrected_invoice_follows(
    lyon_store, hq_admin
):
    # Given an invoice issued with a wrong VAT number of the store
    lyon_store.vat_number = "FR00000000000"
    lyon_store.save()
    book_sale(lyon_store, occurred_at=on(3))
    wrong = issue_commission_invoice(store=lyon_store, period=NOVEMBER, actor=hq_admin)

    # When HQ credits it and issues the month again once the store's identity is fixed
    note = issue_credit_note(invoice=wrong, reason="Wrong VAT number", actor=hq_admin)
    lyon_store.vat_number = "FR45812345672"
    lyon_store.save()
    corrected = issue_commission_invoice(store=lyon_store, period=NOVEMBER, actor=hq_admin)

    # Then the credit note has its own series, references the invoice, and repeats its amounts
    assert note.kind == Invoice.Kind.CREDIT_NOTE
    assert note.number == f"AV{note.issued_at.year}-000001"
    assert note.credited_invoice == wrong
    assert note.total_incl_vat_cents == wrong.total_incl_vat_cents
    assert note.lines.count() == wrong.lines.count()
    # And the first invoice is unchanged, the new one numbered next with the right identity
    wrong.refresh_from_db()
    assert wrong.buyer["vat_number"] == "FR00000000000"
    assert corrected.pk != wrong.pk
    assert corrected.sequence == wrong.sequence + 1
    assert corrected.buyer["vat_number"] == "FR45812345672"


def test_an_invoice_is_credited_once_and_a_credit_note_is_not_credited(lyon_store, hq_admin):
    book_sale(lyon_store, occurred_at=on(3))
    invoice = issue_commission_invoice(store=lyon_store, period=NOVEMBER, actor=hq_admin)
    note = issue_credit_note(invoice=invoice, reason="Error", actor=hq_admin)

    with pytest.raises(InvoiceNotAllowed):
        issue_credit_note(invoice=invoice, reason="Again", actor=hq_admin)
    with pytest.raises(InvoiceNotAllowed):
        issue_credit_note(invoice=note, reason="Note", actor=hq_admin)
    with pytest.raises(InvoiceNotAllowed):
        issue_credit_note(invoice=invoice, reason="  ", actor=hq_admin)


def test_the_invoice_pdf_carries_the_french_mandatory_mentions(lyon_store):
    book_sale(lyon_store, occurred_at=on(3))
    invoice = issue_commission_invoice(store=lyon_store, period=NOVEMBER, actor="system")

    pdf = invoice_pdf(invoice)

    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    for mention in [
        invoice.number, "Ardoise Réseau SAS", "FR40912345678", "SIREN 912345678",
        "91234567800015", lyon_store.company_name, lyon_store.registration_number,
        lyon_store.vat_number, "40 €", "20 %", "01/11/2026 - 30/11/2026",
    ]:  # fmt: skip
        assert mention in text, mention
