"""Acceptance 1 of issue 11, end to end in a real browser: the Lyon owner personalises the spring
flyer with a product at a reduced price, sees the proof, and orders it within its budget; HQ
approves it in the admin's review queue; the printer marks it shipped on its portal; the store
confirms receipt; the store's statement shows the charge and the invoice PDF exists. Each step
is a screenshot; the proof's pages are copied next to them."""

from __future__ import annotations

import shutil

import pytest
from playwright.sync_api import expect

from marketing_hub.models import MarketingOrder, MarketingOrderLine, Proof
from network_marketplace.storage import marketing_storage
from payments.models import Invoice
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_pages import log_in
from tests.factories import UserFactory
from tests.marketing_hub import m4_data as data
from tests.marketing_hub.catalogue_helpers import (
    add_sample_artwork,
    make_campaign,
    make_item,
    offer,
    reduce,
    with_hours,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def spring(lyon_store):
    """The spring campaign's flyer, printed by the Imprimerie du Rhône (with its login), HQ
    paying half up to 100 €; Lyon's budget of 300 € and a sécateur it sells reduced."""
    with_hours(lyon_store)
    printer = data.supplier("Imprimerie du Rhône")
    printer.users.add(UserFactory(email="atelier@imprimerie.example"))
    campaign = make_campaign()
    flyer = make_item(name="Flyer A5 Printemps au jardin", campaign=campaign, supplier=printer)
    add_sample_artwork(flyer, "flyer-a5")
    data.budget(lyon_store, amount=30_000)
    data.rule(name="Printemps co-financé", percent_bp=5_000, cap=10_000, campaign=campaign)
    secateur = reduce(
        offer(lyon_store, name="Sécateur de précision Ardoise", price_cents=3490, rrp_cents=3490),
        to_cents=2990,
    )
    return flyer, secateur


def _page_as(browser, live_server, email):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page, email)
    return page


def _shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_a_flyer_goes_from_the_store_to_print_and_back_to_its_statement(
    page, screenshot, browser, live_server, lyon_store, lyon_owner, hq_admin, spring
):
    _flyer, secateur = spring
    log_in(page, lyon_owner.email)

    # 1. The store personalises the flyer: its product at a reduced price, and a message.
    page.goto(f"/store/{lyon_store.slug}/marketing/")
    expect(page.get_by_test_id("budget-left")).to_contain_text("300,00")
    screenshot("journey-1-marketing-overview")
    page.get_by_test_id("marketing-link-catalogue").click()
    page.get_by_test_id("marketing-item-card").filter(has_text="Flyer A5").click()
    editor = page.get_by_test_id("proof-form")
    editor.get_by_label("Produit", exact=True).select_option(secateur.variant.sku)
    editor.get_by_label("Annoncer un prix réduit").check()
    editor.get_by_label("Message libre").fill("Atelier rempotage gratuit samedi 14 mars !")
    page.get_by_test_id("proof-preview").click()
    expect(page.get_by_test_id("proof-page")).to_have_count(2)
    expect(page.locator("#proof")).to_contain_text("prix le plus bas des 30 derniers jours")
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=proof-page]')]"
        ".every(img => img.complete && img.naturalWidth > 0)"
    )
    screenshot("journey-2-proof")
    proof = Proof.objects.get()
    for number, name in enumerate(proof.previews, start=1):
        with (
            marketing_storage().open(name, "rb") as source,
            open(SCREENSHOTS / f"journey-proof-page-{number}.png", "wb") as target,
        ):
            shutil.copyfileobj(source, target)

    # 2. It orders 250 within its budget: the shares before placing, then the order.
    cart_form = page.get_by_test_id("cart-add-form")
    cart_form.get_by_label("Quantité").select_option("250")
    page.get_by_test_id("cart-add").click()
    expect(page.get_by_test_id("cart-hq-share")).to_contain_text("19,50")
    expect(page.get_by_test_id("cart-store-share")).to_contain_text("19,50")
    expect(page.get_by_test_id("cart-budget-after")).to_contain_text("280,50")
    screenshot("journey-3-cart")
    page.get_by_test_id("cart-place").click()
    order = MarketingOrder.objects.get(status=MarketingOrder.Status.IN_REVIEW)
    expect(page.get_by_test_id("order-status")).to_contain_text("En validation")
    screenshot("journey-4-order-in-review")

    # 3. HQ approves it from the review queue, with the proof in front of it.
    hq = _page_as(browser, live_server, hq_admin.email)
    hq.goto("/admin/marketing_hub/orderinreview/")
    hq.get_by_test_id(f"approve-{order.pk}").click()
    _shot(hq, "journey-5-hq-review")
    hq.get_by_test_id("confirm-approve").click()
    expect(hq.locator(".messagelist")).to_contain_text(order.number)
    order.refresh_from_db()
    assert order.status == MarketingOrder.Status.APPROVED
    line = order.lines.get()
    assert line.invoice is not None
    hq.context.close()

    # 4. The printer downloads the print file and ships the line, on its portal.
    printer = _page_as(browser, live_server, "atelier@imprimerie.example")
    printer.goto("/supplier/")
    row = printer.get_by_test_id(f"supplier-line-{line.pk}")
    expect(row).to_contain_text(order.number)
    pdf = printer.request.get(f"/supplier/lines/{line.pk}/print.pdf")
    assert pdf.ok
    assert pdf.body()[:5] == b"%PDF-"
    row.get_by_label("Transporteur").fill("Colissimo")
    row.get_by_label("Numéro de suivi").fill("6A12345678901")
    row.get_by_test_id(f"shipped-{line.pk}").click()
    expect(printer.get_by_test_id(f"supplier-line-{line.pk}")).to_contain_text("Expédiée")
    _shot(printer, "journey-6-supplier-shipped")
    printer.context.close()
    assert MarketingOrderLine.objects.get(pk=line.pk).status == "shipped"

    # 5. The store receives it.
    page.goto(f"/store/{lyon_store.slug}/marketing/orders/{order.pk}/")
    expect(page.get_by_test_id(f"tracking-{line.pk}")).to_contain_text("6A12345678901")
    page.get_by_test_id("receive-all").click()
    expect(page.get_by_test_id("order-status")).to_contain_text("Reçue")
    screenshot("journey-7-received")

    # 6. Its statement shows the charge, and the invoice's PDF exists.
    page.goto(f"/store/{lyon_store.slug}/money/statement/")
    expect(page.get_by_test_id("statement-table")).to_contain_text(order.number)
    screenshot("journey-8-statement")
    invoice = Invoice.objects.get(pk=line.invoice_id)
    page.goto(f"/store/{lyon_store.slug}/money/invoices/")
    expect(page.get_by_test_id("invoices-table")).to_contain_text(invoice.number)
    screenshot("journey-9-invoices")
    downloaded = page.request.get(f"/store/{lyon_store.slug}/money/invoices/{invoice.number}.pdf")
    assert downloaded.ok
    assert downloaded.body()[:5] == b"%PDF-"
