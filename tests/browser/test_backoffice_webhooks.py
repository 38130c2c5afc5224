"""The Lyon owner subscribes the store's ERP to events and sends it a test event, in a real
browser; the ERP is a local HTTP server that checks the signature."""

import json
import re

import pytest
from playwright.sync_api import expect

from network_marketplace.models import WebhookEndpoint
from tests.browser.test_pages import log_in
from tests.network_marketplace.webhook_receiver import WebhookReceiver

pytestmark = pytest.mark.browser


@pytest.fixture
def erp():
    receiver = WebhookReceiver().start()
    yield receiver
    receiver.stop()


def test_lyon_owner_adds_a_webhook_endpoint_and_sends_a_test_event(
    page, screenshot, lyon_owner, lyon_store, erp
):
    # The back-office nav leads to the webhooks page
    log_in(page, lyon_owner.email)
    page.goto(f"/store/{lyon_store.slug}/")
    page.get_by_role("navigation", name="Back-office").get_by_role("link", name="Webhooks").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Webhooks")
    expect(page.get_by_text("Aucun point de réception pour l'instant.")).to_be_visible()
    screenshot("backoffice-webhooks-empty")

    # The owner subscribes the ERP to orders and shipments
    page.get_by_label("URL").fill(erp.url)
    page.get_by_label("Description").fill("ERP du magasin")
    page.get_by_role("checkbox", name=re.compile(r"^order\.created")).check()
    page.get_by_role("checkbox", name=re.compile(r"^fulfillment\.shipped")).check()
    page.get_by_role("button", name="Ajouter le point de réception").click()

    # The secret is shown once
    secret = page.get_by_test_id("new-webhook-secret")
    expect(secret).to_contain_text("whsec_")
    endpoint = WebhookEndpoint.objects.get()
    assert secret.inner_text() == endpoint.secret
    assert endpoint.event_types == ["fulfillment.shipped", "order.created"]
    screenshot("backoffice-webhooks-created")
    erp.secret = secret.inner_text()

    # A test event reaches the ERP, signed, and shows as delivered
    page.get_by_role("button", name="Envoyer un événement de test").click()
    expect(page.locator(".messages")).to_contain_text("Un événement de test part vers")
    expect(page.get_by_text("Livré", exact=True)).to_be_visible()
    expect(page.get_by_test_id("new-webhook-secret")).to_have_count(0)
    [request] = erp.wait_for(1)
    assert request.signature_valid is True
    assert json.loads(request.body)["type"] == "webhook.ping"
    screenshot("backoffice-webhooks")

    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("backoffice-webhooks-mobile")

    # Pausing and removing
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Mettre en pause").click()
    expect(page.get_by_text("En pause", exact=True)).to_be_visible()
    page.get_by_role("button", name="Supprimer").click()
    expect(page.get_by_text("Aucun point de réception pour l'instant.")).to_be_visible()
    assert not WebhookEndpoint.objects.exists()
