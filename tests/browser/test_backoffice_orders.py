"""A Lyon store's staff works its order queue in a real browser: the deadline counts down, they
accept, pick, make the order ready and hand it over with the customer's code; the pick list
prints."""

import re
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from fulfillment.models import Fulfilment
from fulfillment.services import accept_fulfilment
from orders.models import FulfilmentMethod
from tests.browser.test_pages import log_in
from tests.fulfillment.conftest import make_fulfilment

pytestmark = pytest.mark.browser

TABLET = {"width": 768, "height": 1024}


def pickup_code_sent_to(email: str) -> str:
    """The 6-digit code of the last pickup e-mail to `email` (delivered by the outbox)."""
    for _attempt in range(50):
        sent = [message for message in mail.outbox if message.to == [email]]
        found = [re.search(r"\b(\d{6})\b", message.body) for message in sent]
        found = [match.group(1) for match in found if match]
        if found:
            return found[-1]
        time.sleep(0.1)
    raise AssertionError(f"No pickup code was e-mailed to {email}.")


@pytest.fixture
def lyon_queue(lyon_store):
    """A click & collect order to accept within 90 minutes, one already late, and a home
    delivery already accepted (on the pick list)."""
    now = timezone.now()
    waiting = make_fulfilment(
        store=lyon_store, quantity=2, accept_deadline=now + timedelta(minutes=90)
    )
    late = make_fulfilment(store=lyon_store, accept_deadline=now - timedelta(minutes=12))
    late.order.first_name, late.order.last_name = "Hugo", "Bernard"
    late.order.save()
    shipping = make_fulfilment(store=lyon_store, method=FulfilmentMethod.HOME_DELIVERY)
    order = shipping.order
    order.first_name, order.last_name = "Chloé", "Petit"
    order.address_line, order.postal_code, order.city = "8 quai Saint-Vincent", "69001", "Lyon"
    order.save()
    accept_fulfilment(fulfilment=shipping, actor="test")
    return {"waiting": waiting, "late": late, "shipping": shipping}


def test_staff_accept_pick_make_ready_and_hand_over_with_the_code(
    page, screenshot, lyon_staff, lyon_store, lyon_queue
):
    waiting = lyon_queue["waiting"]
    number = waiting.order.number

    # The queue: the count in the navigation, a live countdown, the late order highlighted
    log_in(page, lyon_staff.email)
    page.goto(f"/store/{lyon_store.slug}/")
    expect(page.get_by_test_id("orders-card")).to_contain_text("1 en retard")
    screenshot("backoffice-dashboard-orders")
    page.get_by_role("link", name="Ouvrir les commandes").click()
    expect(page.get_by_test_id("nav-orders")).to_contain_text("2")
    row = page.get_by_test_id(f"queue-row-{number}")
    expect(row.locator(".countdown")).to_have_text(re.compile(r"^encore 1 h (2\d|30) min$"))
    late_row = page.get_by_test_id(f"queue-row-{lyon_queue['late'].order.number}")
    expect(late_row).to_have_class("is-overdue")
    expect(late_row.locator(".countdown")).to_contain_text("en retard de 1")
    expect(page.get_by_test_id("overdue-alert")).to_be_visible()
    screenshot("backoffice-orders-queue")
    page.set_viewport_size(TABLET)
    screenshot("backoffice-orders-queue-tablet")
    page.set_viewport_size({"width": 1280, "height": 900})

    # Accept from the queue, then open the order
    row.get_by_role("button", name=f"Accepter {number}").click()
    expect(page.locator(".messages")).to_contain_text(f"Commande {number} acceptée")
    page.get_by_test_id("tab-to_pick").click()
    page.get_by_test_id(f"queue-row-{number}").get_by_role("link", name=number, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Commande {number}")
    expect(page.get_by_test_id("fulfilment-status")).to_have_text("Acceptée")

    # Pick and make ready: the staff is told the customer got the code
    page.get_by_role("button", name="Marquer comme préparée").click()
    expect(page.get_by_test_id("fulfilment-status")).to_have_text("Préparée")
    page.get_by_role("button", name="Marquer prête au retrait").click()
    expect(page.get_by_test_id("fulfilment-status")).to_have_text("Prête à retirer")
    expect(page.locator(".messages")).to_contain_text(
        "Le client a reçu son code de retrait par e-mail (lea@example.com)"
    )
    screenshot("backoffice-fulfilment-detail")

    # The customer shows the code of the e-mail they received
    code = pickup_code_sent_to("lea@example.com")
    wrong = "000000" if code != "000000" else "111111"
    page.set_viewport_size(TABLET)
    page.get_by_test_id("handover-link").click()
    code_field = page.get_by_label("Code de retrait")
    expect(code_field).to_be_focused()
    code_field.fill(wrong)
    page.get_by_role("button", name="Vérifier le code et remettre").click()
    expect(page.get_by_test_id("handover-error")).to_contain_text(
        "Code de retrait erroné. Encore 4 essais."
    )
    expect(page.get_by_test_id("attempts-left")).to_have_text(
        "4 essais restants avant que le code ne soit annulé."
    )
    screenshot("backoffice-handover-tablet")
    page.get_by_label("Code de retrait").fill(f"{code[:3]} {code[3:]}")
    page.get_by_role("button", name="Vérifier le code et remettre").click()
    expect(page.locator(".messages")).to_contain_text(f"Commande {number} remise à Léa")
    expect(page.get_by_test_id("fulfilment-status")).to_have_text("Retirée")
    waiting.refresh_from_db()
    assert waiting.status == Fulfilment.Status.COLLECTED

    # It is in the history now
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/store/{lyon_store.slug}/orders/?tab=history")
    expect(page.get_by_test_id(f"history-row-{number}")).to_contain_text("Retirée")


def test_the_pick_list_prints_the_accepted_orders(
    page, screenshot, lyon_staff, lyon_store, lyon_queue
):
    shipping = lyon_queue["shipping"]
    log_in(page, lyon_staff.email)
    page.goto(f"/store/{lyon_store.slug}/orders/")
    page.get_by_role("link", name="Liste de préparation des commandes acceptées").click()

    order = page.get_by_test_id(f"pick-order-{shipping.order.number}")
    expect(order).to_contain_text("Livrer à : 8 quai Saint-Vincent, 69001 Lyon")
    expect(order).to_contain_text(shipping.lines.get().order_line.sku)
    expect(page.get_by_test_id(f"pick-order-{lyon_queue['waiting'].order.number}")).to_have_count(0)
    expect(page.get_by_role("button", name="Imprimer")).to_be_visible()
    screenshot("backoffice-pick-list")

    page.emulate_media(media="print")
    expect(page.locator(".bo-nav")).to_be_hidden()
    expect(page.get_by_role("button", name="Imprimer")).to_be_hidden()
    screenshot("backoffice-pick-list-print")
