"""The Lyon owner complains to HQ in the back-office (P2B art. 11), first too late then in time;
HQ answers and decides in admin; the owner reads the decision and the mediators."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from compliance.models import Mediator, StoreComplaint
from tests.browser.conftest import SCREENSHOTS, sign_in_to_admin
from tests.browser.test_pages import log_in

pytestmark = pytest.mark.browser


def test_lyon_owner_complains_and_hq_decides_in_admin(
    page, browser, live_server, screenshot, lyon_store, lyon_owner, hq_admin
):
    Mediator.objects.create(
        name="Centre de médiation et d'arbitrage de Paris", website="https://www.cmap.fr"
    )
    log_in(page, lyon_owner.email)
    page.goto(f"/store/{lyon_store.slug}/")
    page.get_by_test_id("nav-p2b-complaints").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Réclamations auprès de la tête de réseau"
    )

    # Facts older than the window: a clear error, nothing sent
    page.get_by_label("Type").select_option("hq_conduct")
    page.get_by_label("Objet").fill("Commande réattribuée après acceptation")
    late = timezone.localdate() - timedelta(days=400)
    page.get_by_label("Date des faits").fill(late.isoformat())
    page.get_by_label("Ce qui s'est passé").fill(
        "La commande ARD-0000042, acceptée à 10 h, a été donnée au magasin de Villeurbanne."
    )
    page.get_by_test_id("send-complaint").click()
    expect(page.locator(".field-error")).to_contain_text("365 jours")
    screenshot("backoffice-store-complaint-late")
    assert StoreComplaint.objects.count() == 0

    page.get_by_label("Date des faits").fill((timezone.localdate() - timedelta(days=2)).isoformat())
    page.get_by_test_id("send-complaint").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Réclamation RP-")
    expect(page.get_by_test_id("complaint-status")).to_have_text("Ouverte")
    expect(page.get_by_test_id("complaint-thread")).to_contain_text("Villeurbanne")
    screenshot("backoffice-store-complaint-sent")
    complaint = StoreComplaint.objects.get()

    # HQ answers, then decides, in admin
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    hq = context.new_page()
    sign_in_to_admin(hq, hq_admin, f"/admin/compliance/storecomplaint/{complaint.pk}/change/")
    expect(hq).to_have_url(re.compile(rf"/storecomplaint/{complaint.pk}/change/$"))
    hq.locator("#answer-form textarea").fill("Nous vérifions le journal de routage.")
    hq.locator("#answer-form input[type=submit]").click()
    expect(hq.locator(".messagelist")).to_contain_text("Réponse envoyée au magasin")
    hq.locator("#close-form select").select_option("upheld")
    hq.locator("#close-form textarea").fill(
        "La réattribution était une erreur : commission remboursée."
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    hq.screenshot(path=str(SCREENSHOTS / "admin-store-complaint.png"), full_page=True)
    hq.locator("#close-form input[type=submit]").click()
    expect(hq.locator(".messagelist")).to_contain_text("Réclamation close")
    context.close()

    page.reload()
    expect(page.get_by_test_id("complaint-status")).to_have_text("Close · Fondée")
    expect(page.get_by_test_id("complaint-thread")).to_contain_text("commission remboursée")
    expect(page.get_by_test_id("mediators")).to_contain_text("Centre de médiation")
    screenshot("backoffice-store-complaint-decided")
