"""The customer's order e-mails as a mail client shows them: the pickup code with its QR code
(an inline image), the parcel's tracking link, a cancellation with its refund."""

from __future__ import annotations

import base64

import pytest
from django.core import mail

from checkout.services import CustomerDetails
from fulfillment.services import (
    accept_fulfilment,
    mark_picked,
    mark_ready_for_pickup,
    reject_fulfilment,
    ship_fulfilment,
)
from network_marketplace.outbox import deliver_due_messages
from tests.fulfillment.conftest import LEA, click_and_collect, home, order_for
from tests.fulfillment.conftest import network as network  # the fixture, re-exported

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def show(page, email) -> None:
    """Open the HTML part as a mail client would, its inline images in place of their cid."""
    html = next(content for content, mimetype in email.alternatives if mimetype == "text/html")
    for image in email.attachments:
        content_id = image["Content-ID"].strip("<>")
        data = base64.b64encode(image.get_payload(decode=True)).decode()
        html = html.replace(f"cid:{content_id}", f"data:image/png;base64,{data}")
    page.set_viewport_size({"width": 700, "height": 900})
    page.set_content(html)


def test_the_ready_e_mail_shows_the_pickup_code_and_its_qr_code(page, screenshot, network):
    order = order_for(click_and_collect(network.secateur, network.lyon))
    fulfilment = order.fulfilments.get()
    accept_fulfilment(fulfilment=fulfilment, actor="store")
    mark_picked(fulfilment=fulfilment, actor="store")
    code = mark_ready_for_pickup(fulfilment=fulfilment, actor="store").pickup_code
    deliver_due_messages()
    (email,) = [email for email in mail.outbox if "prête" in email.subject]

    show(page, email)

    assert page.get_by_text(code, exact=True).is_visible()
    qr = page.get_by_role("img", name=f"QR code de votre code de retrait {code}")
    assert qr.evaluate("image => image.complete && image.naturalWidth > 100")
    screenshot("email-ready-for-pickup-fr")


def test_the_shipping_e_mail_links_to_the_carrier_in_english(page, screenshot, network):
    english = CustomerDetails(**{**LEA.__dict__, "language": "en"})
    order = order_for(home(network.secateur), customer=english)
    fulfilment = order.fulfilments.get()
    accept_fulfilment(fulfilment=fulfilment, actor="wms")
    mark_picked(fulfilment=fulfilment, actor="wms")
    ship_fulfilment(
        fulfilment=fulfilment, carrier="Chronopost", tracking_number="XY123456789FR", actor="wms"
    )
    deliver_due_messages()
    (email,) = [email for email in mail.outbox if "on its way" in email.subject]

    show(page, email)

    link = page.get_by_role("link", name="Follow your parcel")
    assert link.get_attribute("href").endswith("listeNumerosLT=XY123456789FR")
    screenshot("email-shipped-en")


def test_the_cancellation_e_mail_says_what_is_refunded(page, screenshot, network):
    order = order_for(click_and_collect(network.secateur, network.lyon, 2))
    reject_fulfilment(fulfilment=order.fulfilments.get(), actor="store", reason="Abîmé")
    deliver_due_messages()
    (email,) = [email for email in mail.outbox if "annulée" in email.subject]

    show(page, email)

    assert page.get_by_text("Nous vous remboursons 59,80\xa0€", exact=False).is_visible()
    screenshot("email-cancelled-fr")
