"""The customer's e-mails through an order's life, as delivered by the outbox: in the order's
language, once per event, the pickup code as text and as an inline QR code that the outbox
forgets once the e-mail is sent."""

from __future__ import annotations

import pytest
from django.core import mail

from catalog.money import format_cents
from checkout.services import CustomerDetails
from fulfillment.carriers import tracking_url
from fulfillment.services import (
    accept_fulfilment,
    hand_over,
    mark_picked,
    mark_ready_for_pickup,
    reissue_pickup_code,
    reject_fulfilment,
    ship_fulfilment,
)
from network_marketplace.models import OutboxMessage
from network_marketplace.notifications import qr_png
from network_marketplace.outbox import deliver_due_messages

from .conftest import LEA, click_and_collect, emails_sent, home, order_for, reserve_and_collect


@pytest.fixture(autouse=True)
def locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DEFAULT_FROM_EMAIL = "Ardoise <no-reply@ardoise.example>"


def delivered(subject_contains: str):
    deliver_due_messages()
    found = [email for email in mail.outbox if subject_contains in email.subject]
    assert len(found) == 1, [email.subject for email in mail.outbox]
    return found[0]


def html_of(email) -> str:
    return next(content for content, mimetype in email.alternatives if mimetype == "text/html")


def test_the_customer_hears_when_the_store_accepts(network):
    order = order_for(click_and_collect(network.secateur, network.lyon))

    accept_fulfilment(fulfilment=order.fulfilments.get(), actor="store")
    accept_fulfilment(fulfilment=order.fulfilments.get(), actor="store")

    email = delivered("en préparation")
    assert email.to == ["lea@example.com"]
    assert email.subject == f"Ardoise\xa0: votre commande {order.number} est en préparation"
    assert "Ardoise Lyon Presqu'île a accepté votre commande" in email.body
    assert network.secateur.product.name in email.body


def test_an_english_customer_gets_english_e_mails(network):
    english = CustomerDetails(**{**LEA.__dict__, "language": "en"})
    order = order_for(reserve_and_collect(network.secateur, network.lyon), customer=english)

    accept_fulfilment(fulfilment=order.fulfilments.get(), actor="store")

    email = delivered("confirmed")
    assert email.subject == f"Ardoise: your reservation {order.number} is confirmed"
    assert "They are held for you until" in email.body


def test_ready_for_pickup_gives_the_code_as_text_and_as_an_inline_qr_code(network):
    order = order_for(click_and_collect(network.secateur, network.lyon))
    fulfilment = order.fulfilments.get()
    accept_fulfilment(fulfilment=fulfilment, actor="store")
    mark_picked(fulfilment=fulfilment, actor="store")

    code = mark_ready_for_pickup(fulfilment=fulfilment, actor="store").pickup_code

    email = delivered("est prête")
    assert (
        email.subject
        == f"Ardoise\xa0: votre commande {order.number} est prête à Ardoise Lyon Presqu'île"
    )
    assert f"Votre code de retrait\xa0: {code}" in email.body
    html = html_of(email)
    (image,) = email.attachments
    content_id = image["Content-ID"].strip("<>")
    assert f'src="cid:{content_id}"' in html
    assert image.get_content_type() == "image/png"
    png = image.get_payload(decode=True)
    assert png == qr_png(code)
    # A full QR code (21 modules or more, plus its quiet zone), not a Micro QR few phones read
    assert int.from_bytes(png[16:20], "big") >= (21 + 8) * 8
    assert "multipart/related" in email.message().get_content_type()
    # Once sent, the outbox no longer holds the code; the customer's e-mail does
    (message,) = emails_sent("order_ready_for_pickup")
    assert message.status == OutboxMessage.Status.SENT
    assert code not in str(message.payload)
    assert message.payload["redacted"] is True
    # And the code works at the counter
    assert hand_over(fulfilment=fulfilment, code=code, actor="store").status == "collected"


def test_a_redelivery_after_the_code_was_blanked_sends_nothing(network):
    order = order_for(click_and_collect(network.secateur, network.lyon))
    fulfilment = order.fulfilments.get()
    accept_fulfilment(fulfilment=fulfilment, actor="store")
    mark_picked(fulfilment=fulfilment, actor="store")
    mark_ready_for_pickup(fulfilment=fulfilment, actor="store")
    deliver_due_messages()
    sent = len(mail.outbox)
    (message,) = emails_sent("order_ready_for_pickup")

    # A worker whose lease ran out takes the message again (the rare at-least-once case)
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxMessage.Status.PENDING)
    deliver_due_messages()

    assert len(mail.outbox) == sent


def test_a_new_pickup_code_is_e_mailed_again(network):
    order = order_for(click_and_collect(network.secateur, network.lyon))
    fulfilment = order.fulfilments.get()
    accept_fulfilment(fulfilment=fulfilment, actor="store")
    mark_picked(fulfilment=fulfilment, actor="store")
    first = mark_ready_for_pickup(fulfilment=fulfilment, actor="store").pickup_code

    second = reissue_pickup_code(fulfilment=fulfilment, actor="store").pickup_code

    deliver_due_messages()
    bodies = [email.body for email in mail.outbox if "est prête" in email.subject]
    assert len(bodies) == 2
    assert first in bodies[0]
    assert second in bodies[1]


@pytest.mark.parametrize(
    ("carrier", "url"),
    [
        ("Colissimo", "https://www.laposte.fr/outils/suivre-vos-envois?code=6A%2012"),
        (
            "chronopost",
            "https://www.chronopost.fr/tracking-no-cms/suivi-page?listeNumerosLT=6A%2012",
        ),
        ("DPD", "https://trace.dpd.fr/fr/trace/6A%2012"),
        ("UPS", "https://www.ups.com/track?loc=fr_FR&tracknum=6A%2012"),
        ("Mondial-Relay", "https://www.mondialrelay.fr/suivi-de-colis/?numeroExpedition=6A%2012"),
        ("Coursier Dupont", None),
    ],
    ids=["colissimo", "chronopost", "dpd", "ups", "mondial-relay", "unknown"],
)
def test_known_carriers_have_a_tracking_page(carrier, url):
    assert tracking_url(carrier, "6A 12") == url


def test_the_shipping_e_mail_gives_carrier_tracking_number_and_link(network):
    order = order_for(home(network.secateur))
    fulfilment = order.fulfilments.get()
    accept_fulfilment(fulfilment=fulfilment, actor="wms")
    mark_picked(fulfilment=fulfilment, actor="wms")

    ship_fulfilment(
        fulfilment=fulfilment, carrier="colissimo", tracking_number="6A12345678901",
        actor="wms",
    )  # fmt: skip

    email = delivered("en route")
    assert "Transporteur\xa0: Colissimo" in email.body
    assert "Numéro de suivi\xa0: 6A12345678901" in email.body
    link = "https://www.laposte.fr/outils/suivre-vos-envois?code=6A12345678901"
    assert link in email.body
    assert f'href="{link}"' in html_of(email)


def test_the_cancellation_e_mail_says_why_and_what_is_refunded(network):
    order = order_for(click_and_collect(network.secateur, network.lyon))

    reject_fulfilment(fulfilment=order.fulfilments.get(), actor="store", reason="Abîmé")

    email = delivered("est annulée")
    assert email.subject == f"Ardoise\xa0: votre commande {order.number} est annulée"
    assert "Le magasin que vous avez choisi ne peut pas préparer ces articles." in email.body
    assert f"Nous vous remboursons {format_cents(2990)} sur votre moyen de paiement" in email.body
