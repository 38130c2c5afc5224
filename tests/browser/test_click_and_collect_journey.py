"""Click & collect end to end in a real browser: a guest buys on the storefront; the store's staff
accepts the order in their queue, picks it, puts it on the pickup shelf and hands it over with the
code from the customer's e-mail; the customer's tracking page follows each step."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from network_marketplace.outbox import deliver_due_messages
from orders.models import Order
from stores.models import StockLevel, StockMovement, StoreMembership
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_pages import log_in
from tests.checkout.storefront_setup import build_world
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def world(db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return build_world()


def test_a_guest_buys_for_click_and_collect_and_the_store_hands_it_over(
    page, browser, live_server, screenshot, world
):
    page.route(re.compile(r"^https://tile\.openstreetmap\.org/"), lambda route: route.abort())
    store = world.bellecour
    staff = UserFactory(email="staff.bellecour@example.com")
    MembershipFactory(user=staff, store=store, role=StoreMembership.Role.STAFF)

    # The customer buys: product page, cart, checkout with the test card.
    page.goto(f"/p/{world.secateur.product.slug}/")
    page.get_by_label("Votre code postal").fill("69002")
    page.get_by_role("button", name="Voir les magasins").click()
    page.get_by_test_id("nearby-stores").get_by_role(
        "button", name=f"Retirer dans ce magasin ({store.name})"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre panier")
    screenshot("journey-cart")
    page.get_by_test_id("go-to-checkout").click()
    page.get_by_label("E-mail").fill("lea@example.com")
    page.get_by_label("Prénom").fill("Léa")
    page.get_by_label("Nom", exact=True).fill("Martin")
    page.get_by_label(f"Heure de retrait chez {store.name}").select_option(index=1)
    page.get_by_label("Numéro de carte").fill("4242 4242 4242 4242")
    page.get_by_label("Expiration (MM/AA)").fill("12/39")
    page.get_by_label("Cryptogramme").fill("123")
    page.get_by_label("J'ai lu et j'accepte").check()
    screenshot("journey-checkout")
    page.get_by_test_id("place-order").click()
    expect(page.get_by_test_id("confirmation")).to_be_visible()
    order = Order.objects.get(status=Order.Status.PLACED)
    page.get_by_test_id("follow-order").click()
    tracking_url = page.url
    expect(page.get_by_test_id("part-status")).to_have_text("En attente de confirmation du magasin")
    screenshot("journey-tracking-placed")

    # The store, on its own device: the queue, accept, pick, ready.
    counter = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    counter.set_default_timeout(15_000)
    desk = counter.new_page()
    log_in(desk, staff.email)
    desk.goto(f"/store/{store.slug}/orders/")
    row = desk.get_by_test_id(f"queue-row-{order.number}")
    expect(row.locator(".countdown")).to_contain_text("encore")
    desk.screenshot(path=str(SCREENSHOTS / "journey-store-queue.png"), full_page=True)
    row.get_by_role("button", name=f"Accepter {order.number}").click()
    expect(desk.locator(".messages")).to_contain_text(f"Commande {order.number} acceptée")
    desk.goto(f"/store/{store.slug}/orders/{order.fulfilments.get().pk}/")
    desk.get_by_role("button", name="Marquer comme préparée").click()
    desk.get_by_role("button", name="Marquer prête au retrait").click()
    expect(desk.get_by_test_id("fulfilment-status")).to_have_text("Prête à retirer")

    # The customer reads the code in the e-mail and sees the order ready.
    deliver_due_messages()
    [ready] = [email for email in mail.outbox if "prête" in email.subject]
    assert ready.to == ["lea@example.com"]
    code = re.search(r"code de retrait\s: (\d{6})", ready.body).group(1)
    page.goto(tracking_url)
    expect(page.get_by_test_id("part-status")).to_have_text("Prête à retirer")
    screenshot("journey-tracking-ready")

    # At the counter: the code, and the goods leave the store's stock.
    desk.get_by_test_id("handover-link").click()
    desk.get_by_label("Code de retrait").fill(code)
    desk.get_by_role("button", name="Vérifier le code et remettre").click()
    expect(desk.get_by_test_id("fulfilment-status")).to_have_text("Retirée")
    counter.close()

    page.goto(tracking_url)
    expect(page.get_by_test_id("part-status")).to_have_text("Retirée")
    screenshot("journey-tracking-collected")
    level = StockLevel.objects.get(store=store, variant=world.secateur)
    sold = StockMovement.objects.get(store=store, variant=world.secateur, delta=-1)
    assert (level.reserved, sold.reason) == (0, StockMovement.Reason.SALE)
