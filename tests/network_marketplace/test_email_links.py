"""Every link of the customer's e-mails leads to the site's configured address (SITE_URL: the
public address in production, the served one in the demo), whatever address the worker has."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from fulfillment.services import accept_fulfilment, mark_picked, mark_ready_for_pickup
from network_marketplace.outbox import deliver_due_messages
from tests.fulfillment.conftest import click_and_collect, order_for
from tests.fulfillment.conftest import network as network  # the fixture, re-exported

SITE_URL = "http://demo.ardoise.example:8147"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = SITE_URL


def links_of(email) -> list[str]:
    """Every address a reader can follow: the HTML part's hrefs and the text part's URLs."""
    html = next(content for content, mimetype in email.alternatives if mimetype == "text/html")
    hrefs = re.findall(r'href="([^"]+)"', html)
    return [href for href in hrefs if not href.startswith("mailto:")] + re.findall(
        r"https?://\S+", email.body
    )


def test_the_order_e_mails_link_to_the_configured_site_address(network):
    order = order_for(click_and_collect(network.secateur, network.lyon))
    fulfilment = order.fulfilments.get()
    accept_fulfilment(fulfilment=fulfilment, actor="store")
    mark_picked(fulfilment=fulfilment, actor="store")
    mark_ready_for_pickup(fulfilment=fulfilment, actor="store")

    deliver_due_messages()

    assert len(mail.outbox) == 3  # confirmed, accepted, ready
    for email in mail.outbox:
        links = links_of(email)
        assert links, email.subject
        assert [link for link in links if not link.startswith(f"{SITE_URL}/")] == [], email.subject
    tracking = f"{SITE_URL}/orders/{order.number}/t/"
    assert any(link.startswith(tracking) for link in links_of(mail.outbox[0]))
