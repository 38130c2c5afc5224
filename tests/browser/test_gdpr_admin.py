"""HQ's GDPR records in the admin, in Chromium: the records of processing (art. 30) ready to
print, the breach register with its 72-hour deadline (overdue in red), the consent ledger
read-only with its filters."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from compliance.models import Breach, ConsentChannel, ConsentPurpose
from compliance.services.breaches import save_breach
from compliance.services.consents import record_consent
from tests.browser.conftest import sign_in_to_admin

pytestmark = pytest.mark.browser


def test_hq_reads_the_records_of_processing_and_prints_them(page, screenshot, hq_admin):
    sign_in_to_admin(page, hq_admin, "/admin/compliance/recordsofprocessing/")
    expect(page.get_by_test_id("records-title")).to_contain_text("Registre des activités")
    records = page.get_by_test_id("records-of-processing")
    expect(records.get_by_test_id("processing-activity")).to_have_count(7)
    expect(records.get_by_test_id("processors")).to_contain_text("tile.openstreetmap.org")
    expect(records.get_by_test_id("retention").first).to_contain_text("Comptes inactifs")
    expect(page.get_by_role("button", name="Imprimer ou enregistrer en PDF")).to_be_visible()
    screenshot("admin-records-of-processing")
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Imprimer ou enregistrer en PDF")).to_be_hidden()
    expect(page.locator("#header")).to_be_hidden()
    screenshot("admin-records-of-processing-print")


def test_hq_sees_the_breach_deadlines_and_the_consent_ledger(page, screenshot, hq_admin, customer):
    now = timezone.now()
    fields = {
        "data_categories": "E-mail addresses",
        "people_categories": "Customers",
        "approx_people": 120,
        "likely_consequences": "Phishing",
        "measures": "Link removed",
    }
    save_breach(
        breach=Breach(detected_at=now - timedelta(hours=80), nature="Public export link", **fields),
        actor="test",
    )
    save_breach(
        breach=Breach(detected_at=now - timedelta(hours=10), nature="Lost badge", **fields),
        actor="test",
    )
    record_consent(
        purpose=ConsentPurpose.NETWORK_MARKETING, granted=True,
        channel=ConsentChannel.ACCOUNT_PAGE, actor=customer, user=customer,
    )  # fmt: skip

    sign_in_to_admin(page, hq_admin, "/admin/compliance/breach/")
    overdue = page.locator(".breach-deadline--overdue")
    expect(overdue).to_have_count(1)
    expect(overdue).to_contain_text("En retard de 8 heures")
    expect(overdue).to_have_css("color", "rgb(186, 33, 33)")
    expect(page.get_by_text("Reste 61 heures")).to_be_visible()
    screenshot("admin-breach-register")

    page.goto("/admin/compliance/consentrecord/")
    expect(page.locator("#changelist-filter")).to_contain_text("finalité")
    expect(page.locator("#changelist-filter")).to_contain_text("canal")
    expect(page.locator("#result_list")).to_contain_text(customer.email)
    expect(page.locator("#result_list")).to_contain_text("Page du compte")
    expect(page.locator(".object-tools .addlink")).to_have_count(0)
    screenshot("admin-consent-ledger")
