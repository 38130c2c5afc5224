"""Marketing orders in a real browser: the Lyon owner places a personalised flyer from the cart
(store's and HQ's shares, budget left after), HQ approves it from the admin's review queue (its
proof shown), the printer ships it from its portal, the store confirms receipt and reads the
charge on its statement and the invoice in its list; an order over budget says why."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from marketing_hub.models import MarketingOrder
from marketing_hub.services import orders
from marketing_hub.services.proofs import make_proof
from tests.browser.test_pages import log_in
from tests.factories import UserFactory
from tests.marketing_hub.catalogue_helpers import add_sample_artwork, make_item, offer, with_hours
from tests.marketing_hub.order_helpers import make_budget, make_rule, make_supplier

pytestmark = pytest.mark.browser
MO = MarketingOrder.Status


@pytest.fixture
def printer(db):
    supplier = make_supplier()
    supplier.users.add(UserFactory(email="atelier@imprimerie.example"))
    return supplier


@pytest.fixture
def flyer_with_proof(lyon_store, lyon_owner, printer):
    item = make_item(
        reference="FLY-A5-PRINTEMPS", supplier=printer, always_review=True, vat_rate_bp=2000
    )
    artwork = add_sample_artwork(item, "flyer-a5")
    with_hours(lyon_store)
    product = offer(lyon_store).variant.sku
    proof = make_proof(
        store=lyon_store,
        artwork=artwork,
        values={"product": product, "message": "Nouveautés de printemps"},
        actor=lyon_owner,
    )
    make_budget(lyon_store, 50_000)
    make_rule(item=item, percent_bp=3000, cap_cents=100_000, name="Printemps : HQ paie 30 %")
    return item, proof


@pytest.fixture
def flyer_in_cart(lyon_store, lyon_owner, flyer_with_proof):
    item, proof = flyer_with_proof
    orders.add_to_cart(store=lyon_store, item=item, quantity=1000, proof=proof, actor=lyon_owner)
    return item


def sign_out(page):
    page.context.clear_cookies()


def test_a_flyer_goes_from_the_cart_through_hq_review_to_the_store(
    page, screenshot, lyon_store, lyon_owner, hq_admin, printer, flyer_with_proof
):
    # The owner adds the flyer with its proof to the cart from the item page
    item, proof = flyer_with_proof
    log_in(page, lyon_owner.email)
    page.goto(f"/store/{lyon_store.slug}/marketing/catalogue/{item.pk}/?proof={proof.pk}")
    page.get_by_test_id("cart-add-form").get_by_label("Quantité").select_option("1000")
    page.get_by_test_id("cart-add").click()

    # The cart: 89 € of which HQ pays 26,70 €, the budget left after
    expect(page).to_have_url(re.compile(r"/marketing/cart/$"))
    expect(page.get_by_test_id("cart-hq-share")).to_contain_text("26,70")
    expect(page.get_by_test_id("cart-store-share")).to_contain_text("62,30")
    expect(page.get_by_test_id("cart-budget-after")).to_contain_text("437,70")
    screenshot("marketing-cart")
    page.get_by_test_id("cart-place").click()

    # The order waits for HQ's review (the item is always reviewed)
    expect(page.get_by_test_id("order-status")).to_have_text("En validation")
    order = MarketingOrder.objects.get(store=lyon_store)
    expect(page.get_by_role("heading", level=1)).to_contain_text(order.number)
    expect(page.get_by_test_id(f"proof-preview-{order.lines.get().pk}-1")).to_be_visible()
    screenshot("marketing-order-in-review")

    # HQ approves it from the review queue, its proof shown
    sign_out(page)
    log_in(page, hq_admin.email)
    page.goto("/admin/marketing_hub/orderinreview/")
    expect(page.locator("#result_list")).to_contain_text(order.number)
    expect(page.locator("#result_list img")).to_have_count(1)
    screenshot("marketing-admin-review-queue")
    page.get_by_test_id(f"approve-{order.pk}").click()
    expect(page.locator("#content-main img")).to_have_count(1)
    screenshot("marketing-admin-approve")
    page.get_by_test_id("confirm-approve").click()
    expect(page.locator(".messagelist")).to_contain_text(order.number)
    order.refresh_from_db()
    assert order.status == MO.APPROVED

    # The printer ships it from its portal
    sign_out(page)
    log_in(page, "atelier@imprimerie.example")
    page.goto("/supplier/")
    line = order.lines.get()
    row = page.get_by_test_id(f"supplier-line-{line.pk}")
    expect(row).to_contain_text(order.number)
    screenshot("marketing-supplier-portal")
    row.get_by_label("Transporteur").fill("Colissimo")
    row.get_by_label("Numéro de suivi").fill("6A01234567")
    page.get_by_test_id(f"shipped-{line.pk}").click()
    expect(page.get_by_test_id(f"supplier-line-{line.pk}")).to_contain_text("6A01234567")

    # The store confirms receipt, then reads the charge and the invoice
    sign_out(page)
    log_in(page, lyon_owner.email)
    page.goto(f"/store/{lyon_store.slug}/marketing/orders/{order.pk}/")
    expect(page.get_by_test_id(f"tracking-{line.pk}")).to_contain_text("6A01234567")
    page.get_by_test_id("receive-all").click()
    expect(page.get_by_test_id("order-status")).to_have_text("Reçue")
    screenshot("marketing-order-received")
    page.goto(f"/store/{lyon_store.slug}/marketing/orders/")
    expect(page.get_by_test_id(f"marketing-order-{order.number}")).to_contain_text("Reçue")
    screenshot("marketing-orders")
    page.goto(f"/store/{lyon_store.slug}/money/statement/")
    expect(page.locator("main")).to_contain_text(order.number)
    screenshot("marketing-statement")
    line.refresh_from_db()
    page.goto(f"/store/{lyon_store.slug}/money/invoices/")
    expect(page.get_by_test_id("invoices-table")).to_contain_text(line.invoice.number)


def test_an_order_over_budget_says_why(page, screenshot, lyon_store, lyon_owner, flyer_in_cart):
    lyon_store.marketing_budgets.update(amount_cents=2_000)
    log_in(page, lyon_owner.email)

    page.goto(f"/store/{lyon_store.slug}/marketing/cart/")

    expect(page.get_by_test_id("cart-problems")).to_contain_text("Budget dépassé")
    expect(page.get_by_test_id("cart-place")).to_be_disabled()
    screenshot("marketing-cart-over-budget")
    page.goto(f"/store/{lyon_store.slug}/marketing/orders/")
    screenshot("marketing-orders-empty")
