"""Endless aisle in a real browser: the Lyon staff orders for a walk-in customer an item Lyon
lacks; HQ reads why the order went where it went."""

import pytest
from playwright.sync_api import expect

from orders.models import Order, OrderPolicy
from tests.browser.test_pages import log_in
from tests.checkout.test_endless_aisle import network  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser


def test_staff_order_an_item_from_the_network_for_a_walk_in_customer(
    page,
    screenshot,
    lyon_staff,
    lyon_store,
    network,  # noqa: F811
    hq_admin,
):
    log_in(page, lyon_staff.email)
    page.goto(f"/store/{lyon_store.slug}/")
    page.get_by_role("link", name="Rayon infini").click()
    page.get_by_label("Produit, marque, SKU ou EAN").fill("sécateur")
    page.get_by_role("button", name="Rechercher").click()
    row = page.get_by_test_id("aisle-row-ARD-SEC-01")
    expect(row).to_contain_text("2 magasins")
    screenshot("backoffice-endless-aisle-search")

    row.get_by_role("link", name="Commander pour le client").click()
    expect(page.get_by_test_id("aisle-availability")).to_contain_text("Entrepôt de Saint-Priest")
    page.get_by_label("Livraison à l'adresse du client").check()
    page.get_by_label("Prénom").fill("Paul")
    page.get_by_label("Nom", exact=True).fill("Girard")
    page.get_by_label("E-mail").fill("paul@example.com")
    page.get_by_role("textbox", name="Adresse (livraison à domicile)").fill("12 rue Garibaldi")
    page.get_by_role("textbox", name="Code postal").fill("69003")
    page.get_by_role("textbox", name="Ville").fill("Lyon")
    screenshot("backoffice-endless-aisle-order")
    page.get_by_role("button", name="Passer la commande").click()

    order = Order.objects.get(email="paul@example.com")
    expect(page.locator(".messages")).to_contain_text("payée en caisse")
    expect(page.get_by_test_id("aisle-routing")).to_contain_text("Entrepôt de Saint-Priest")
    screenshot("backoffice-endless-aisle-result")

    # HQ reads the routing record in the order's admin page
    page.get_by_role("button", name="Se déconnecter").click()
    log_in(page, hq_admin.email)
    page.goto(f"/admin/orders/order/{order.pk}/change/")
    expect(page.locator(".routing-record")).to_contain_text("Entrepôt de Saint-Priest")
    screenshot("admin-order-routing")

    # ...and sets the routing rules
    page.goto(f"/admin/orders/orderpolicy/{OrderPolicy.current().pk}/change/")
    expect(
        page.get_by_text("Attribution : quel magasin expédie une livraison à domicile")
    ).to_be_visible()
    screenshot("admin-routing-rules")
