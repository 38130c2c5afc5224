"""A customer finds a secateur in a store near 69002, adds it for click & collect, checks out as
a guest with the test card, and follows the order; then a fuller cart on a phone."""

import re

import pytest
from playwright.sync_api import expect

from fulfillment.services import accept_fulfilment, mark_picked, mark_ready_for_pickup
from orders.models import Order, OrderPolicy, PickupSlot
from stores.models import StockLevel
from tests.browser.conftest import PASSWORD_LABEL
from tests.checkout.storefront_setup import build_world
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def offline_tiles(page):
    page.route(re.compile(r"^https://tile\.openstreetmap\.org/"), lambda route: route.abort())
    return page


def test_guest_buys_for_click_and_collect_and_follows_the_order(
    page, offline_tiles, screenshot, world
):
    page.goto(f"/p/{world.secateur.product.slug}/")
    page.get_by_label("Votre code postal").fill("69002")
    page.get_by_role("button", name="Voir les magasins").click()
    nearby = page.get_by_test_id("nearby-stores")
    expect(nearby.get_by_role("link")).to_have_text(
        ["Ardoise Lyon Bellecour", "Ardoise Lyon Part-Dieu"]
    )
    expect(nearby.get_by_role("button", name=re.compile("^Réserver"))).to_have_count(1)
    screenshot("product-buy")
    nearby.get_by_role("button", name="Retirer dans ce magasin (Ardoise Lyon Bellecour)").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Votre panier")
    expect(page.get_by_test_id("cart-count")).to_have_text("1")
    expect(page.get_by_test_id("cart-group")).to_have_count(1)
    expect(
        page.get_by_role("heading", name="Retrait en magasin à Ardoise Lyon Bellecour")
    ).to_be_visible()
    page.get_by_label("Quantité").fill("2")
    page.get_by_role("button", name="Mettre à jour").click()
    expect(page.get_by_test_id("cart-total")).to_have_text("55,80\xa0€")
    screenshot("cart")

    page.get_by_test_id("go-to-checkout").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Commande")
    expect(page.get_by_test_id("test-payment")).to_contain_text("aucune carte n'est débitée")
    expect(page.get_by_test_id("promise")).to_contain_text("Conservé 5 jours")
    page.get_by_label("E-mail").fill("lea@example.com")
    page.get_by_label("Prénom").fill("Léa")
    page.get_by_label("Nom", exact=True).fill("Martin")
    slot = page.get_by_label("Heure de retrait chez Ardoise Lyon Bellecour")
    slot.select_option(index=2)
    page.get_by_label("Numéro de carte").fill("4000 0000 0000 0002")
    page.get_by_label("Expiration (MM/AA)").fill("12/39")
    page.get_by_label("Cryptogramme").fill("123")
    page.get_by_label("J'ai lu et j'accepte").check()
    page.evaluate("window.scrollTo(0, 0)")  # the sticky summary sits at the top
    screenshot("checkout")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("checkout-mobile")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_test_id("place-order").click()
    expect(page.get_by_test_id("payment-declined")).to_contain_text("refusé")
    assert not Order.objects.filter(placed_at__isnull=False).exists()  # nothing ordered
    screenshot("checkout-declined")

    page.get_by_label("Numéro de carte").fill("4242 4242 4242 4242")
    page.get_by_label("Expiration (MM/AA)").fill("12/39")
    page.get_by_label("Cryptogramme").fill("123")
    page.get_by_label("J'ai lu et j'accepte").check()
    page.get_by_test_id("place-order").click()

    expect(page.get_by_test_id("confirmation")).to_be_visible()
    order = Order.objects.get(status=Order.Status.PLACED)
    expect(page.get_by_test_id("confirmation")).to_contain_text(order.number)
    expect(page.get_by_test_id("cart-count")).to_have_text("0")
    assert PickupSlot.objects.get(order=order).store == world.bellecour
    assert StockLevel.objects.get(store=world.bellecour, variant=world.secateur).reserved == 2
    screenshot("order-confirmation")

    page.get_by_test_id("follow-order").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Commande {order.number}")
    expect(page.get_by_test_id("part-status")).to_have_text("En attente de confirmation du magasin")
    expect(page.get_by_test_id("pickup-slot")).to_be_visible()
    page.get_by_text("Adresse et horaires du magasin").click()
    expect(page.get_by_text("1 place Bellecour").first).to_be_visible()
    screenshot("order-tracking")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("order-tracking-mobile")
    page.set_viewport_size({"width": 1280, "height": 900})

    # The store accepts, picks and puts it on the pickup shelf: the page says so.
    fulfilment = order.fulfilments.get()
    accept_fulfilment(fulfilment=fulfilment, actor="staff")
    mark_picked(fulfilment=fulfilment, actor="staff")
    code = mark_ready_for_pickup(fulfilment=fulfilment, actor="staff").pickup_code
    page.reload()
    expect(page.get_by_test_id("part-status")).to_have_text("Prête à retirer")
    expect(page.get_by_test_id("pickup-code-digits")).to_have_text(code)
    expect(page.get_by_test_id("timeline").get_by_role("listitem")).to_have_count(4)
    screenshot("order-tracking-ready")


def test_signed_in_customer_keeps_the_guest_cart_and_finds_the_order(
    page, screenshot, world, customer
):
    page.goto(f"/p/{world.can.product.slug}/")
    page.get_by_role("button", name="Ajouter au panier : livraison à domicile").click()
    expect(page.get_by_test_id("cart-count")).to_have_text("1")

    page.get_by_role("link", name="Se connecter").click()
    page.get_by_label("Courriel").fill(customer.email)
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_test_id("cart-count")).to_have_text("1")  # the guest cart joined

    page.get_by_test_id("cart-link").click()
    page.get_by_test_id("go-to-checkout").click()
    expect(page.get_by_label("E-mail")).to_have_value(customer.email)
    page.get_by_label("Prénom").fill("Léa")
    page.get_by_label("Nom", exact=True).fill("Martin")
    page.get_by_label("Adresse", exact=True).fill("3 rue Mercière")
    page.get_by_label("Code postal").fill("6900")
    page.get_by_label("Ville").fill("Lyon")
    page.get_by_label("Numéro de carte").fill("4242 4242 4242 4242")
    page.get_by_label("Expiration (MM/AA)").fill("12/39")
    page.get_by_label("Cryptogramme").fill("123")
    page.get_by_label("J'ai lu et j'accepte").check()
    page.get_by_test_id("place-order").click()
    expect(page.get_by_text("Un code postal français a 5 chiffres.")).to_be_visible()
    page.evaluate("window.scrollTo(0, 0)")
    screenshot("checkout-errors")

    page.get_by_label("Code postal").fill("69002")
    page.get_by_label("Numéro de carte").fill("4242 4242 4242 4242")
    page.get_by_label("Expiration (MM/AA)").fill("12/39")
    page.get_by_label("Cryptogramme").fill("123")
    page.get_by_label("J'ai lu et j'accepte").check()
    page.get_by_test_id("place-order").click()
    expect(page.get_by_test_id("confirmation")).to_be_visible()

    page.get_by_role("link", name="Mes commandes").first.click()
    order = Order.objects.get(status=Order.Status.PLACED)
    expect(page.get_by_test_id("my-orders")).to_contain_text(order.number)
    expect(page.get_by_test_id("my-orders")).to_contain_text("Livraison à domicile")
    screenshot("my-orders")


def test_a_fuller_cart_reads_well_on_a_phone(page, screenshot, world):
    for sku, method, store, quantity in (
        (world.can.sku, "home_delivery", None, 2),
        (world.secateur.sku, "click_collect", "lyon-bellecour", 1),
        (world.can.sku, "reserve_collect", "lyon-bellecour", 1),
        (world.secateur.sku, "click_collect", "lyon-part-dieu", 1),
    ):
        page.goto(f"/p/{world.secateur.product.slug}/")
        page.evaluate(
            """([sku, method, store, quantity]) => {
                const form = document.querySelector('[data-testid="add-home-delivery"]');
                form.querySelector('[name=variant]').value = sku;
                form.querySelector('[name=method]').value = method;
                form.querySelector('[name=quantity]').value = quantity;
                if (store) {
                    const input = document.createElement('input');
                    input.type = 'hidden'; input.name = 'store'; input.value = store;
                    form.appendChild(input);
                }
                form.submit();
            }""",
            [sku, method, store, quantity],
        )
        page.wait_for_url("**/cart/")
    # Part-Dieu runs out, and HQ lets no store send it there: that line can't be ordered
    StockLevel.objects.filter(store=world.part_dieu).update(on_hand=0)
    OrderPolicy.objects.update(transfer_for_collect=False)
    OrderPolicy.forget_cached()
    page.reload()
    expect(page.get_by_test_id("cart-group")).to_have_count(4)
    expect(page.get_by_test_id("line-problem")).to_have_text(
        "Plus disponible chez Ardoise Lyon Part-Dieu."
    )
    screenshot("cart-full")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("cart-mobile")
    page.screenshot(path=str(screenshot("cart-mobile").with_name("cart-mobile-top.png")))
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing overflows a phone's width


def test_a_customer_has_an_item_sent_to_her_store_that_lacks_it(
    page, offline_tiles, screenshot, world
):
    # Given the watering can is at Bellecour and the warehouse, not at Part-Dieu
    page.goto(f"/p/{world.can.product.slug}/?variant={world.can.sku}")
    page.get_by_label("Votre code postal").fill("69002")
    page.get_by_role("button", name="Voir les magasins").click()

    # When Léa asks for it at Part-Dieu
    offer = page.get_by_test_id("transfer-offer")
    expect(offer).to_contain_text("Nous l'y envoyons depuis un autre magasin")
    offer.get_by_label("Retirer à").select_option("lyon-part-dieu")
    screenshot("product-transfer-offer")
    offer.get_by_role("button", name="Me l'envoyer dans ce magasin").click()

    # Then her cart holds it for collection at Part-Dieu, with the transfer's longer promise
    page.wait_for_url("**/cart/")
    expect(page.get_by_test_id("cart-group")).to_contain_text("Ardoise Lyon Part-Dieu")
    expect(page.get_by_text("envoyé depuis un autre magasin")).to_be_visible()
    screenshot("cart-transfer")
