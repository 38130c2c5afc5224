"""The demo mailbox: the demo keeps every e-mail it sends and shows each as its recipient would
read it (text, and HTML with its inline QR code); outside the demo the pages do not exist."""

from __future__ import annotations

import io
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from demo.mailbox import MAILBOX_BACKEND, show_email
from demo.models import MailboxMessage
from fulfillment.services import accept_fulfilment, mark_picked, mark_ready_for_pickup
from network_marketplace.outbox import deliver_due_messages
from tests.fulfillment.conftest import click_and_collect, order_for
from tests.fulfillment.conftest import network as network  # the fixture, re-exported


@pytest.fixture
def demo(settings):
    """The embedded demo's settings: its mailbox pages and its e-mail backend."""
    settings.DEMO = True
    settings.EMAIL_BACKEND = MAILBOX_BACKEND
    settings.SITE_URL = "http://127.0.0.1:8142"


def ready_for_pickup(network) -> tuple[str, str]:
    """A click & collect order made ready at Lyon: (its number, the pickup code e-mailed)."""
    order = order_for(click_and_collect(network.secateur, network.lyon))
    fulfilment = order.fulfilments.get()
    accept_fulfilment(fulfilment=fulfilment, actor="store")
    mark_picked(fulfilment=fulfilment, actor="store")
    code = mark_ready_for_pickup(fulfilment=fulfilment, actor="store").pickup_code
    deliver_due_messages()
    return order.number, code


def test_the_demo_keeps_each_e_mail_it_sends_instead_of_sending_it(demo, network):
    number, code = ready_for_pickup(network)

    assert mail.outbox == []  # nothing went to a mail server (nor to Django's test outbox)
    kept = MailboxMessage.objects.get(subject__contains="prête")
    assert kept.to == "lea@example.com"
    assert number in kept.subject
    shown = show_email(kept)
    assert re.search(rf"Votre code de retrait\s*:\s*{code}", shown.text)
    assert "Léa" in shown.text  # accents survive the round trip through the MIME source
    # The QR code is an inline image of the message: shown from a data: URL, not a cid: one.
    assert "cid:" not in shown.html
    assert re.search(r'<img src="data:image/png;base64,[A-Za-z0-9+/=]{200,}"', shown.html)


def test_the_mailbox_lists_the_newest_first_with_recipient_subject_and_date(client, demo, network):
    number, _code = ready_for_pickup(network)

    response = client.get(reverse("demo:mailbox"))

    assert response.status_code == 200
    page = response.content.decode()
    subjects = re.findall(r'mailbox-table__subject"><a href="[^"]+">([^<]+)</a>', page)
    assert number in subjects[0]
    assert "est prête" in subjects[0]
    assert subjects[-1].endswith(f"votre commande {number}")  # the confirmation came first
    assert "lea@example.com" in page
    assert "3 e-mails" in page  # confirmation, accepted, ready


def test_the_mailbox_shows_only_what_was_sent_to_the_chosen_recipient(client, demo, network):
    ready_for_pickup(network)
    MailboxMessage.objects.create(
        from_email="a@example.com", to="owner@example.com", subject="Autre", source=""
    )

    everyone = client.get(reverse("demo:mailbox"))
    lea = client.get(reverse("demo:mailbox"), {"to": "lea@example.com"})
    nobody = client.get(reverse("demo:mailbox"), {"to": "nobody@example.com"})

    assert everyone.context["page"].paginator.count == 4
    assert everyone.context["recipients"] == ["lea@example.com", "owner@example.com"]
    assert lea.context["page"].paginator.count == 3
    assert "Aucun e-mail n\N{RIGHT SINGLE QUOTATION MARK}a été envoyé à nobody@example.com." in (
        nobody.content.decode()
    )


def test_a_message_page_shows_the_text_part_and_frames_the_html_part(client, demo, network):
    number, code = ready_for_pickup(network)
    kept = MailboxMessage.objects.get(subject__contains="prête")

    page = client.get(reverse("demo:mailbox-message", args=[kept.pk]))
    html_part = client.get(reverse("demo:mailbox-message-html", args=[kept.pk]))

    assert page.status_code == 200
    content = page.content.decode()
    assert re.search(rf"Votre code de retrait\s*:\s*{code}", content)
    frame_url = reverse("demo:mailbox-message-html", args=[kept.pk])
    assert f'sandbox="allow-popups allow-popups-to-escape-sandbox" src="{frame_url}"' in content
    # The HTML part alone: framed by our own page only, no script, its links in a new tab.
    assert html_part.status_code == 200
    assert html_part.headers["X-Frame-Options"] == "SAMEORIGIN"
    policy = html_part.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "frame-ancestors 'self'" in policy
    assert "sandbox allow-popups" in policy
    assert '<head><base target="_blank">' in html_part.content.decode()
    assert number in html_part.content.decode()


def test_links_in_the_text_part_can_be_followed(client, demo, network):
    number, _code = ready_for_pickup(network)
    confirmation = MailboxMessage.objects.get(subject__endswith=f"votre commande {number}")

    page = client.get(reverse("demo:mailbox-message", args=[confirmation.pk]))

    assert re.search(
        rf'<a href="http://127.0.0.1:8142/orders/{number}/t/[0-9a-f]+/" rel="nofollow">',
        page.content.decode(),
    )


@pytest.mark.parametrize(
    "name", ["demo:mailbox", "demo:mailbox-message", "demo:mailbox-message-html"]
)
def test_the_mailbox_does_not_exist_outside_the_demo(client, settings, db, name):
    settings.DEMO = False
    kept = MailboxMessage.objects.create(
        from_email="a@example.com", to="b@example.com", subject="Secret", source=""
    )
    url = reverse(name) if name == "demo:mailbox" else reverse(name, args=[kept.pk])

    response = client.get(url)

    assert response.status_code == 404
    assert "Secret" not in response.content.decode()


def test_an_unknown_message_is_a_404(client, demo, db):
    assert client.get(reverse("demo:mailbox-message", args=[999])).status_code == 404


def test_the_banner_of_every_page_links_to_the_mailbox_in_the_demo_only(client, settings, db):
    settings.DEMO = True
    in_demo = client.get(reverse("home")).content.decode()
    settings.DEMO = False
    elsewhere = client.get(reverse("home")).content.decode()

    assert f'href="{reverse("demo:mailbox")}"' in in_demo
    assert 'data-testid="demo-banner"' not in elsewhere


def test_load_demo_leaves_the_ready_order_s_pickup_code_in_the_mailbox(demo, transactional_db):
    # Committed for real: the e-mails leave through the outbox after load_demo's transaction.
    call_command("load_demo", stdout=io.StringIO())

    ready = MailboxMessage.objects.filter(
        to="client@ardoise.example", subject__contains="est prête"
    ).order_by("pk")
    assert ready.count() == 2  # the order to hand over, and the one collected already
    assert re.search(r"Votre code de retrait\s*:\s*\d{6}", show_email(ready.first()).text)
