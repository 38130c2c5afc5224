"""A web order delivered from Lyon comes back to the Paris store: the customer starts the return
online, the Paris desk receives it, restocks what is resalable and refunds, in a real browser."""

import pytest
from playwright.sync_api import expect

from fulfillment.models import Return
from payments.models import Refund
from stores.models import StockLevel, StockMovement
from tests.browser.test_pages import log_in
from tests.fulfillment.returns_helpers import Sold, fulfilment_lines, received_order

pytestmark = pytest.mark.browser


def test_a_return_started_online_is_received_restocked_and_refunded_in_paris(
    page, screenshot, lyon_store, paris_store, paris_owner
):
    order = received_order(
        Sold(lyon_store, quantity=2, unit_price_cents=2990),
        Sold(lyon_store, quantity=1, unit_price_cents=4590),
        number="ARD-0004217",
    )
    kept, broken = fulfilment_lines(order)
    kept_name, broken_name = kept.order_line.product_name, broken.order_line.product_name

    # The customer (a guest) opens the return page with the order's e-mail
    page.goto(f"/orders/{order.number}/return/")
    page.get_by_label("Adresse e-mail utilisée pour la commande").fill(order.email)
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(order.number)
    page.get_by_label(f"Quantité à retourner de l\u2019article {kept_name}").fill("2")
    page.get_by_label(f"Quantité à retourner de l\u2019article {broken_name}").fill("1")
    page.get_by_label("Pourquoi le retournez-vous ?").select_option("does_not_fit")
    page.get_by_label("Rapporté en magasin").check()
    page.get_by_label("Magasin où vous le rapporterez").select_option(str(paris_store.pk))
    screenshot("returns-customer-form")
    page.get_by_role("button", name="Créer le retour").click()

    made = Return.objects.get(order=order)
    expect(page.get_by_test_id("return-status")).to_have_text("Demandé")
    expect(page.locator(".return-code__number")).to_have_text(made.number)
    expect(page.locator(".return-code__qr svg")).to_be_visible()
    screenshot("returns-customer-confirmation")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("returns-customer-confirmation-mobile")
    page.set_viewport_size({"width": 1280, "height": 900})

    # The Paris desk finds it by the number the customer shows
    log_in(page, paris_owner.email)
    page.goto(f"/store/{paris_store.slug}/returns/")
    expect(page.get_by_test_id("returns-table")).to_contain_text(made.number)
    screenshot("returns-desk-list")
    page.get_by_label("Numéro de retour").fill(made.number.lower())
    page.get_by_role("button", name="Ouvrir").click()
    page.get_by_role("button", name="Recevoir les articles").click()
    expect(page.get_by_text(f"Retour {made.number} reçu.")).to_be_visible()
    expect(page.get_by_test_id("return-status")).to_have_text("Reçu")

    # Inspection: the first item goes back on the shelf, the second is damaged (half refunded)
    inspection = page.get_by_test_id("inspection")
    kept_row = inspection.get_by_role("row").filter(has_text=kept_name)
    broken_row = inspection.get_by_role("row").filter(has_text=broken_name)
    kept_row.get_by_label("Comme neuf, revendable").check()
    broken_row.get_by_label("Abîmé").check()
    broken_row.get_by_label("Remettre dans notre stock").uncheck()
    broken_row.get_by_label(f"Remboursement de l\u2019article {broken_name}").fill("22,95")
    screenshot("returns-desk-inspection")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("returns-desk-inspection-mobile")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Enregistrer le contrôle").click()
    expect(page.get_by_test_id("return-status")).to_have_text("Contrôlé")
    expect(page.get_by_text("À rembourser : 82,75\u00a0€")).to_be_visible()

    page.get_by_role("button", name="Rembourser le client").click()
    expect(page.get_by_test_id("return-status")).to_have_text("Remboursé")
    expect(page.get_by_text("82,75\u00a0€ remboursés le")).to_be_visible()
    screenshot("returns-desk-refunded")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("returns-desk-refunded-mobile")
    page.set_viewport_size({"width": 1280, "height": 900})

    # Paris's stock has the resalable units, as a "Retour" movement; the refund went out once
    level = StockLevel.objects.get(store=paris_store, variant=kept.order_line.variant)
    assert level.on_hand == 2
    assert not StockLevel.objects.filter(variant=broken.order_line.variant).exists()
    page.goto(f"/store/{paris_store.slug}/stock/movements/")
    expect(page.get_by_role("row").filter(has_text=made.number)).to_contain_text("Retour")
    assert StockMovement.objects.get(reference=made.number).delta == 2
    assert Refund.objects.get(order=order).amount_cents == 2 * 2990 + 2295
