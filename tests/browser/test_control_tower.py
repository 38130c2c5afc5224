"""HQ's control tower on the admin home, in a real Chromium at 1280 px, in French: the week of
tests/hq/conftest.py read over a chosen period, a figure followed to its list."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in_to_admin
from tests.factories import PASSWORD
from tests.hq.conftest import network, ranked_week, week  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

# Words the stock admin or a missed translation would show in English.
ENGLISH = re.compile(
    r"\b(Control|tower|Orders?|Period|Show|Today|Now|never|Store|Best|Worst|refused|awaiting|"
    r"Payouts?|Returns?|Shipped|Late|Acceptance|Median|GMV per|of which|in all|Web shop|"
    r"Home delivery|Click & collect|Reserve & collect)\b"
)
# A status, method or reason code as stored (pending_payment, click_collect, timed_out...).
RAW_CODE = re.compile(r"\b[a-z]+_[a-z_]+\b")
AMOUNT = re.compile(r"[\d\u202f\u00a0.,]+\u00a0€")


def test_hq_reads_the_week_on_the_control_tower(page, screenshot, ranked_week, hq_admin):  # noqa: F811
    hq_admin.set_password(PASSWORD)
    hq_admin.save()
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in_to_admin(page, hq_admin)

    tower = page.get_by_test_id("control-tower")
    expect(tower.get_by_role("heading", name="Tour de contrôle")).to_be_visible()
    # The week is in March: HQ chooses its dates
    page.get_by_label("Période").select_option(label="Dates de mon choix")
    page.get_by_label("Du", exact=True).fill("2026-03-16")
    page.get_by_label("Au", exact=True).fill("2026-03-23")
    page.get_by_role("button", name="Afficher").click()

    expect(page.get_by_test_id("tower-period")).to_have_text("Du 16 mars 2026 au 23 mars 2026")
    expect(page.get_by_test_id("figure-gmv")).to_contain_text("328,90\u00a0€")
    expect(page.get_by_test_id("figure-orders")).to_contain_text("11")
    expect(page.get_by_test_id("figure-acceptance")).to_contain_text("60,0\u00a0%")
    expect(page.get_by_test_id("figure-late-shipments")).to_contain_text("sur 1 colis expédiés")
    expect(page.get_by_test_id("by-method")).to_contain_text("Réservation en magasin")
    expect(page.get_by_test_id("returns-by-reason")).to_contain_text("Il est arrivé abîmé")
    expect(page.get_by_test_id("feed-freshness")).to_contain_text("jamais")
    expect(page.get_by_test_id("held-stores")).to_contain_text("Ardoise Caluire")
    expect(page.get_by_test_id("daily-chart").locator("rect")).to_have_count(8)
    expect(page.get_by_test_id("ranking-acceptance")).to_contain_text("Ardoise Villeurbanne")

    text = tower.inner_text()
    assert not ENGLISH.findall(text), ENGLISH.findall(text)
    assert not RAW_CODE.findall(text), RAW_CODE.findall(text)
    for amount in AMOUNT.findall(text):
        assert re.fullmatch(r"\d{1,3}(\u202f\d{3})*(,\d{2})?\u00a0€", amount.strip()), amount
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    screenshot("hq-control-tower")

    # The late shipment's figure opens the list of the late parcel
    page.get_by_test_id("figure-late-shipments").click()
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    expect(page.locator("#result_list")).to_contain_text(ranked_week.shipped_late.number)
    screenshot("hq-control-tower-late-shipments")

    # The money dashboard is in the sidebar, from any admin page
    page.locator("#nav-sidebar-apps h2", has_text="Finances").click()
    page.locator("#nav-sidebar-apps").get_by_role("link", name="Tableau de bord financier").click()
    expect(page.get_by_test_id("money-kpis")).to_be_visible()
