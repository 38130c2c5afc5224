"""Lyon's staff receive, in a real browser, an order that Villeurbanne sent them for a customer
who collects at Lyon (a store-to-store transfer): the incoming transfer in the queue, then
"received", then ready for pickup."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from checkout.services import CheckoutLine, CustomerDetails, place_order
from fulfillment.models import Fulfilment
from fulfillment.services import accept_fulfilment, mark_picked
from fulfillment.transfers import ship_transfer
from orders.models import FulfilmentMethod
from stores.models import StockLevel
from stores.services import update_offer
from tests.browser.test_pages import log_in
from tests.factories import StoreFactory, VariantFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def incoming_transfer(lyon_store):
    """Léa ordered two sécateurs to collect at Lyon, which has none; Villeurbanne sent them."""
    villeurbanne = StoreFactory(
        name="Ardoise Villeurbanne", slug="villeurbanne", city="Villeurbanne",
        latitude=Decimal("45.771900"), longitude=Decimal("4.890200"),
    )  # fmt: skip
    secateur = VariantFactory(sku="ARD-SEC-01", rrp_cents=2990, product__name="Sécateur Ardoise")
    for store, units in ((lyon_store, 0), (villeurbanne, 4)):
        update_offer(store=store, variant=secateur, on_hand=units, source="system", actor="hq")
        StockLevel.objects.filter(store=store, variant=secateur).update(safety_stock=0)
    order = place_order(
        customer=CustomerDetails(email="lea@example.com", first_name="Léa", last_name="Martin"),
        lines=[CheckoutLine(variant=secateur, quantity=2,
                            method=FulfilmentMethod.CLICK_COLLECT, store=lyon_store)],
        actor="test", payment_token="tok_visa",
    )  # fmt: skip
    fulfilment = Fulfilment.objects.get(order=order)
    for step in (accept_fulfilment, mark_picked):
        step(fulfilment=fulfilment, actor="test", at_store=villeurbanne)
    ship_transfer(
        fulfilment=fulfilment, actor="test", at_store=villeurbanne,
        carrier="Colissimo", tracking_number="6A12345678901",
    )  # fmt: skip
    return fulfilment


def test_pickup_store_receives_an_incoming_transfer_then_makes_it_ready(
    page, screenshot, lyon_staff, lyon_store, incoming_transfer
):
    number = incoming_transfer.order.number

    # given the transfer on its way, in Lyon's "incoming transfers" tab
    log_in(page, lyon_staff.email)
    page.goto(f"/store/{lyon_store.slug}/orders/?tab=incoming")
    group = page.get_by_test_id("group-incoming")
    expect(group).to_contain_text("Transferts à recevoir")
    row = page.get_by_test_id(f"queue-row-{number}")
    expect(row).to_contain_text("Transfert depuis Ardoise Villeurbanne")
    expect(row).to_contain_text("En route vers le magasin de retrait")
    screenshot("backoffice-transfer-incoming")

    # when the staff open it: where it comes from and how, and the "received" step
    row.get_by_role("link", name="Ouvrir").click()
    expect(page.get_by_test_id("incoming")).to_contain_text("Ardoise Villeurbanne")
    expect(page.get_by_test_id("incoming")).to_contain_text("6A12345678901")
    expect(page.get_by_test_id("actions")).not_to_contain_text("Accepter")
    page.get_by_test_id("receive").click()

    # then it is received, in Lyon's stock held for Léa, and can be made ready
    expect(page.get_by_test_id("fulfilment-status")).to_have_text("Reçue au magasin de retrait")
    expect(page.get_by_role("button", name="Marquer prête au retrait")).to_be_visible()
    screenshot("backoffice-transfer-received")
    level = StockLevel.objects.get(
        store=lyon_store, variant=incoming_transfer.lines.get().order_line.variant
    )
    assert (level.on_hand, level.reserved, level.available) == (2, 2, 0)
