"""The withdrawal button in a real browser, in French (issue 13, acceptance 2): the order page
shows each part's deadline and "Se rétracter du contrat ici"; the confirmation step; the
acknowledgement with the date and time; the e-mail with its PDF. Screenshots of each page, and
of the acknowledgement and the store's invoice rendered to PNG."""

from io import BytesIO

import pypdfium2
import pytest
from django.core import mail
from django.db import transaction
from playwright.sync_api import expect
from pypdf import PdfReader

from fulfillment import hooks
from fulfillment.models import Return, Withdrawal
from network_marketplace.outbox import deliver_due_messages
from orders.models import FulfilmentMethod
from payments.customer_invoice_pdf import customer_invoice_pdf
from payments.models import CustomerInvoice
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_pages import log_in
from tests.fulfillment.returns_helpers import Sold, received_order

pytestmark = pytest.mark.browser
M = FulfilmentMethod


def pdf_to_png(content: bytes, name: str) -> None:
    document = pypdfium2.PdfDocument(content)
    document[0].render(scale=1.5).to_pil().save(SCREENSHOTS / f"{name}.png")


def test_a_customer_withdraws_with_the_button_and_gets_the_acknowledgement(
    page, screenshot, lyon_store, paris_store, customer
):
    lyon_store.company_name = "Jardins de la Presqu'île SARL"
    lyon_store.legal_address = "8 rue Mercière, 69002 Lyon"
    lyon_store.registration_number = "RCS Lyon 812 345 671"
    lyon_store.vat_number = "FR12812345671"
    lyon_store.save()
    order = received_order(
        Sold(lyon_store, method=M.CLICK_COLLECT, quantity=2, unit_price_cents=2490),
        Sold(paris_store, method=M.RESERVE_COLLECT, unit_price_cents=3900),
        customer=customer,
        number="ARD-0007731",
    )
    with transaction.atomic():  # as in the move that books the sale
        for part in order.fulfilments.all():
            hooks.record_sale(fulfilment=part, actor="test")
    name = order.lines.get(method=M.CLICK_COLLECT).product_name

    log_in(page, customer.email)
    page.goto(f"/orders/{order.number}/")
    periods = page.get_by_test_id("withdrawal-period")
    expect(periods).to_have_count(2)
    expect(periods.first).to_contain_text("Vous pouvez vous rétracter jusqu\u2019au")
    expect(periods.nth(1)).to_contain_text("pas une vente à distance")
    invoice = CustomerInvoice.objects.get(order=order)
    expect(page.get_by_test_id("part-invoices")).to_contain_text(f"Facture {invoice.number}")
    screenshot("withdrawal-order-page")

    page.get_by_role("link", name="Se rétracter du contrat ici").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Se rétracter de la commande {order.number}"
    )
    page.get_by_label(f"Quantité de l\u2019article {name} dont vous vous rétractez").fill("1")
    page.get_by_label("Votre motif").fill("Finalement trop grand")
    expect(page.get_by_label("Magasin où vous les rapporterez")).to_have_value(str(lyon_store.pk))
    screenshot("withdrawal-confirmation")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("withdrawal-confirmation-mobile")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Confirmer la rétractation").click()

    made = Withdrawal.objects.get(order=order)
    expect(page.get_by_test_id("withdrawal-acknowledgement")).to_contain_text(
        "Votre rétractation a été enregistrée le"
    )
    expect(page.get_by_test_id("refund-due")).to_contain_text("Nous vous remboursons au plus tard")
    screenshot("withdrawal-acknowledgement")
    assert made.return_request.reason == Return.Reason.WITHDRAWAL
    assert made.lines.get().quantity == 1

    # The order page lists it, and no longer offers the unit withdrawn
    page.goto(f"/orders/{order.number}/")
    expect(page.get_by_test_id("withdrawals")).to_contain_text(made.reference)
    expect(page.get_by_test_id("withdraw-button")).to_have_count(1)  # one unit left

    # The e-mail carries the acknowledgement as a PDF with the date and time
    deliver_due_messages()
    (ack,) = [m for m in mail.outbox if made.reference in m.subject]
    ((_filename, content, _mimetype),) = ack.attachments
    text = "\n".join(p.extract_text() for p in PdfReader(BytesIO(content)).pages)
    assert "Nous avons reçu votre rétractation du contrat le" in text
    assert made.return_request.number in text
    pdf_to_png(content, "withdrawal-acknowledgement-pdf")
    pdf_to_png(customer_invoice_pdf(invoice), "customer-invoice-pdf")
