"""Customer invoices per store (issue 13): each order part gets the selling store's invoice
when its goods leave (its own gapless series, the store's legal mentions, VAT per rate, "Vendu
par <store> via <network>"), downloadable by the customer and the store; a refund of returned
units gets a credit note; numbers stay gapless under concurrent issuing."""

import re
import threading
from io import BytesIO

import pytest
from django.db import connection, transaction
from pypdf import PdfReader

from fulfillment import hooks
from fulfillment.models import Fulfilment, Return, ReturnLine
from fulfillment.services import (
    LineInspection,
    inspect_return,
    receive_return,
    refund_return,
    request_return,
    ship_fulfilment,
)
from orders.models import FulfilmentMethod
from payments.customer_invoice_pdf import customer_invoice_pdf
from payments.models import CustomerInvoice
from tests.fulfillment.returns_helpers import Sold, all_of, received_order

M = FulfilmentMethod


def pdf_text(invoice) -> str:
    reader = PdfReader(BytesIO(customer_invoice_pdf(invoice)))
    return "\n".join(page.extract_text() for page in reader.pages)


def book(order):
    """Book each part's sale as its move does (fulfillment.hooks.record_sale)."""
    for part in order.fulfilments.order_by("pk"):
        hooks.record_sale(fulfilment=part, actor="test")


@pytest.fixture
def lyon_legal(lyon_store):
    lyon_store.company_name = "Jardins de la Presqu'île SARL"
    lyon_store.legal_address = "8 rue Mercière, 69002 Lyon"
    lyon_store.registration_number = "RCS Lyon 812 345 671"
    lyon_store.vat_number = "FR12812345671"
    lyon_store.save()
    return lyon_store


def test_each_order_part_gets_its_sellers_invoice_with_vat_per_rate(lyon_legal, paris_store):
    order = received_order(
        Sold(lyon_legal, quantity=2, unit_price_cents=2990),
        Sold(lyon_legal, method=M.CLICK_COLLECT, unit_price_cents=1055),
        Sold(paris_store, unit_price_cents=4590),
        shipping_cents=590,
    )
    # The second Lyon line is at the reduced rate
    reduced = order.lines.get(unit_price_cents=1055)
    reduced.vat_percent = 5.5
    reduced.save(update_fields=["vat_percent"])

    book(order)
    book(order)  # idempotent: a part is invoiced once

    invoices = list(CustomerInvoice.objects.filter(order=order).order_by("pk"))
    assert len(invoices) == order.fulfilments.count() == 3
    assert {(i.store, i.kind) for i in invoices} == {
        (lyon_legal, "invoice"), (paris_store, "invoice"),
    }  # fmt: skip
    lyon_numbers = sorted(i.number for i in invoices if i.store == lyon_legal)
    assert lyon_numbers == [
        f"F{lyon_legal.pk:04d}-{invoices[0].year}-00001",
        f"F{lyon_legal.pk:04d}-{invoices[0].year}-00002",
    ]
    collect = next(i for i in invoices if i.fulfilment.method == M.CLICK_COLLECT)
    assert collect.vat_breakdown == [{"rate_bp": 550, "base_cents": 1000, "vat_cents": 55}]
    text = pdf_text(collect)
    for mention in ("Jardins de la Presqu", "8 rue Mercière, 69002 Lyon",
                    "RCS Lyon 812 345 671", "FR12812345671", "5,5 %", "10,55 €",
                    f"Vendu par {lyon_legal.name} via Ardoise", collect.number):  # fmt: skip
        assert mention in text, mention
    parcel = next(i for i in invoices if i.store == lyon_legal and i != collect)
    assert parcel.total_incl_vat_cents == 2 * 2990 + sum(
        line.total_incl_vat_cents for line in parcel.lines.all() if not line.sku
    )
    # Every invoice adds up: lines = breakdown = totals
    for invoice in invoices:
        lines = list(invoice.lines.all())
        assert invoice.total_incl_vat_cents == sum(line.total_incl_vat_cents for line in lines)
        assert invoice.vat_cents == sum(group["vat_cents"] for group in invoice.vat_breakdown)
        assert invoice.total_excl_vat_cents + invoice.vat_cents == invoice.total_incl_vat_cents
    assert sum(i.total_incl_vat_cents for i in invoices) == order.total_cents


def test_shipping_a_parcel_issues_its_invoice(lyon_legal):
    order = received_order(Sold(lyon_legal, status=Fulfilment.Status.PICKED))
    part = order.fulfilments.get()

    ship_fulfilment(fulfilment=part, carrier="colissimo", tracking_number="6A12345678901",
                    actor="lyon")  # fmt: skip

    assert CustomerInvoice.objects.get(fulfilment=part).total_incl_vat_cents == 2990


def test_reserve_and_collect_is_not_invoiced_online(lyon_store):
    order = received_order(Sold(lyon_store, method=M.RESERVE_COLLECT))

    book(order)

    assert not CustomerInvoice.objects.exists()


def test_a_partial_refund_gets_a_partial_credit_note(lyon_legal, lyon_owner):
    order = received_order(Sold(lyon_legal, quantity=2, unit_price_cents=3000))
    book(order)
    invoice = CustomerInvoice.objects.get(order=order)
    made = request_return(
        order=order, lines=all_of(order), reason=Return.Reason.DAMAGED,
        method=Return.Method.IN_STORE, store=lyon_legal, actor="customer",
    )  # fmt: skip
    receive_return(return_request=made, store=lyon_legal, actor=lyon_owner)
    (line,) = made.lines.all()
    made = inspect_return(return_request=made, store=lyon_legal, actor=lyon_owner, inspections=[
        LineInspection(line, ReturnLine.Condition.DAMAGED, False, 4500)])  # fmt: skip

    refund_return(return_request=made, store=lyon_legal, actor=lyon_owner)
    refund_return(return_request=made, store=lyon_legal, actor=lyon_owner)  # once

    credit = CustomerInvoice.objects.get(kind=CustomerInvoice.Kind.CREDIT_NOTE)
    assert credit.credited_invoice == invoice
    assert credit.number == f"A{lyon_legal.pk:04d}-{credit.year}-00001"
    assert credit.total_incl_vat_cents == 4500
    assert credit.vat_cents == 750
    text = pdf_text(credit)
    assert f"Avoir sur la facture {invoice.number}" in text
    assert made.number in text
    assert "45,00 €" in text


def test_the_customer_and_the_store_download_the_pdf_others_get_a_404(
    client, lyon_legal, lyon_owner, paris_owner, customer
):
    order = received_order(Sold(lyon_legal), customer=customer)
    book(order)
    invoice = CustomerInvoice.objects.get()
    customer_url = f"/payments/orders/{order.number}/invoices/{invoice.number}.pdf"
    store_url = f"/store/{lyon_legal.slug}/money/customer-invoices/{invoice.number}.pdf"

    anonymous = client.get(customer_url)
    client.force_login(customer)
    page = client.get(f"/orders/{order.number}/").content.decode()
    mine = client.get(customer_url)
    client.force_login(lyon_owner)
    store_copy = client.get(store_url)
    client.force_login(paris_owner)
    other_store = client.get(store_url)

    assert anonymous.status_code == 404
    assert f"Facture {invoice.number} (PDF)" in page
    assert (mine.status_code, mine["Content-Type"]) == (200, "application/pdf")
    assert mine.content.startswith(b"%PDF")
    assert store_copy.status_code == 200
    assert other_store.status_code == 404


@pytest.mark.django_db(transaction=True)
def test_numbers_stay_gapless_when_a_store_issues_at_once(lyon_store):
    orders = [received_order(Sold(lyon_store)) for _ in range(8)]
    barrier = threading.Barrier(len(orders))
    errors = []

    def issue(order):
        try:
            barrier.wait()
            with transaction.atomic():
                book(order)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(order,)) for order in orders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    sequences = sorted(CustomerInvoice.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, 9))
    numbers = CustomerInvoice.objects.values_list("number", flat=True)
    assert all(re.fullmatch(rf"F{lyon_store.pk:04d}-\d{{4}}-0000[1-8]", n) for n in numbers)
