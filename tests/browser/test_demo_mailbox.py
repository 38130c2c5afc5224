"""The demo mailbox in a real browser: from the demo's banner to the e-mail of the order that is
ready, whose pickup code the store then uses at the counter; and an e-mail's links work."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from demo.mailbox import MAILBOX_BACKEND
from demo.network import network as demo_network
from fulfillment.models import Fulfilment
from tests.browser.conftest import PASSWORD_LABEL
from tests.fulfillment.conftest import click_and_collect, order_for
from tests.fulfillment.conftest import network as network  # the fixture, re-exported

pytestmark = pytest.mark.browser

DEMO = demo_network()
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def demo(settings, live_server):
    """The embedded demo's settings, its e-mails linking to the server the browser uses."""
    settings.DEMO = True
    settings.EMAIL_BACKEND = MAILBOX_BACKEND
    settings.SITE_URL = live_server.url


def sign_in(page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label(PASSWORD_LABEL).fill(password)
    page.locator("form").get_by_role("button", name="Connexion").click()
    expect(page.get_by_test_id("signed-in-as")).to_have_text(email)


def test_the_store_hands_over_the_demo_order_with_the_code_read_in_the_mailbox(
    page, screenshot, demo
):
    # Given the demo, loaded as `make demo` does
    call_command("load_demo", stdout=io.StringIO())
    ready = Fulfilment.objects.get(status=Fulfilment.Status.READY_FOR_PICKUP)
    number = ready.order.number

    # The banner of the home page leads to the mailbox; the customer's e-mails are listed
    page.goto("/")
    page.get_by_test_id("demo-banner").get_by_role("link", name="Boîte mail de démo").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Boîte mail de démo")
    page.get_by_label("Destinataire").select_option(DEMO.customer.email)
    page.get_by_role("button", name="Afficher").click()
    expect(page.get_by_test_id("mailbox-row").first).to_contain_text(DEMO.customer.email)
    screenshot("demo-mailbox")
    page.set_viewport_size(PHONE)
    screenshot("demo-mailbox-phone")
    page.set_viewport_size(DESKTOP)

    # The "ready" e-mail of the order to hand over: its code in the text, its code and QR
    # code in the HTML part as a mail client shows it
    page.get_by_role("link", name=re.compile(rf"{number} est prête")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{number} est prête")
    text = page.get_by_test_id("mailbox-text").inner_text()
    code = re.search(r"Votre code de retrait\s*:\s*(\d{6})", text).group(1)
    frame = page.frame_locator("[data-testid=mailbox-html]")
    expect(frame.get_by_text(code, exact=True)).to_be_visible()
    qr = frame.get_by_role("img", name=f"QR code de votre code de retrait {code}")
    expect(qr).to_be_visible()
    assert qr.evaluate("image => image.complete && image.naturalWidth > 100")
    screenshot("demo-mailbox-ready-email")
    page.set_viewport_size(PHONE)
    # Chromium paints a frame's content once it has been on screen: scrolled to, as a reader would
    page.get_by_test_id("mailbox-html").scroll_into_view_if_needed()
    expect(frame.get_by_text(code, exact=True)).to_be_visible()
    screenshot("demo-mailbox-ready-email-phone")
    page.set_viewport_size(DESKTOP)

    # The store's owner (a demo login, printed by load_demo) hands the order over with that code
    store = next(spec for spec in DEMO.stores if spec.slug == ready.store.slug)
    sign_in(page, store.owner_email, DEMO.password)
    page.goto(f"/store/{store.slug}/orders/{ready.pk}/handover/")
    page.get_by_label("Code de retrait").fill(code)
    page.get_by_role("button", name="Vérifier le code et remettre").click()
    expect(page.get_by_test_id("fulfilment-status")).to_have_text("Retirée")
    ready.refresh_from_db()
    assert ready.status == Fulfilment.Status.COLLECTED


def test_an_e_mail_s_links_open_the_site_in_a_new_tab_on_a_phone(
    page, screenshot, demo, network, live_server
):
    order = order_for(click_and_collect(network.secateur, network.lyon))
    page.set_viewport_size(PHONE)

    page.goto("/demo/mailbox/")
    page.get_by_role("link", name=re.compile(rf"votre commande {order.number}$")).click()
    with page.context.expect_page() as new_tab:
        frame = page.frame_locator("[data-testid=mailbox-html]")
        frame.get_by_role("link", name="Suivre ma commande").click()

    order_page = new_tab.value
    order_page.wait_for_load_state()
    assert order_page.url.startswith(f"{live_server.url}/orders/{order.number}/")  # SITE_URL
    expect(order_page.get_by_role("heading", level=1)).to_contain_text(order.number)
    screenshot("demo-mailbox-confirmation-phone")
