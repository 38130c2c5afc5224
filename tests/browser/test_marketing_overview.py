"""The Lyon owner opens the Marketing section of the back-office in a real browser: the budget
left with its bar, the co-funding left per running rule, the campaigns running, the latest orders
with their states and the digital packs; on a desktop and on a phone's width. HQ reads the
marketing dashboard in admin."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from marketing_hub.models import CoFundingUsage, MarketingOrder, Subscription, SubscriptionPlan
from tests.browser.test_pages import log_in
from tests.marketing_hub import m4_data as data

pytestmark = pytest.mark.browser
TODAY = timezone.localdate()
MO = MarketingOrder.Status


@pytest.fixture
def lyon_marketing(lyon_store, paris_store):
    data.budget(lyon_store, amount=300_000, spent=112_500)
    noel = data.campaign("Noël au jardin", start=TODAY - timedelta(days=20))
    data.campaign("Rentrée du bricolage", start=TODAY - timedelta(days=5))
    flyer = data.item(name="Flyer A5 « Noël au jardin »", campaign=noel)
    rollup = data.item(name="Roll-up 85 x 200 cm")
    rule = data.rule(name="Noël au jardin, co-financé à 30 %", percent_bp=3_000, cap=40_000,
                     campaign=noel)  # fmt: skip
    data.rule(name="Goodies, 20 % pris en charge", percent_bp=2_000, cap=30_000,
              item_kind="goodies")  # fmt: skip
    CoFundingUsage.objects.create(
        rule=rule, store=lyon_store, period_start=rule.starts_on, cap_cents=40_000, used_cents=8_010
    )
    data.order(lyon_store, status=MO.IN_REVIEW, lines=[(flyer, 6_230, 2_670)])
    data.order(lyon_store, status=MO.SHIPPED, lines=[(rollup, 8_940, 5_960)])
    data.order(lyon_store, status=MO.RECEIVED, lines=[(flyer, 2_730, 1_170)],
               placed_at=timezone.now() - timedelta(days=30))  # fmt: skip
    data.order(lyon_store, status=MO.REJECTED, lines=[(flyer, 2_900, 0)])
    plan = SubscriptionPlan.objects.create(
        code="gbp", name="Fiche Google gérée", pack=SubscriptionPlan.Pack.GBP, price_cents=4_900
    )
    Subscription.objects.create(store=lyon_store, plan=plan, started_on=TODAY.replace(day=1))
    return lyon_store


def test_lyon_owner_reads_the_marketing_overview(page, screenshot, lyon_marketing, lyon_owner):
    log_in(page, lyon_owner.email)
    page.goto(f"/store/{lyon_marketing.slug}/")
    page.get_by_test_id("nav-marketing").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Marketing")
    expect(page.get_by_test_id("budget-left")).to_contain_text("1875,00")
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "38")
    expect(page.get_by_test_id("cofunding-rule")).to_have_count(2)
    noel_rule = page.get_by_test_id("cofunding-rule").filter(has_text="Noël au jardin")
    expect(noel_rule.get_by_test_id("cofunding-left")).to_have_text("319,90\u00a0€")
    expect(page.get_by_test_id("marketing-campaigns")).to_contain_text("Noël au jardin")
    expect(page.get_by_test_id("marketing-order-row")).to_have_count(4)
    expect(page.get_by_test_id("marketing-latest-orders")).to_contain_text("En validation")
    expect(page.get_by_test_id("subscription-row")).to_contain_text("Fiche Google gérée")
    screenshot("backoffice-marketing-overview")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.get_by_test_id("budget-left")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("backoffice-marketing-overview-phone")


def test_hq_reads_the_marketing_dashboard(page, screenshot, lyon_marketing, hq_admin):
    log_in(page, hq_admin.email)
    page.goto("/admin/")
    page.get_by_role("link", name="Tableau de bord marketing").click()

    expect(page.get_by_label("Du")).not_to_have_value("")
    expect(page.get_by_test_id("kpi-store-share")).to_contain_text("179,00")
    expect(page.get_by_test_id("spend-by-store")).to_contain_text("Ardoise Lyon Presqu'île")
    expect(page.get_by_test_id("campaign-impact")).to_contain_text("Noël au jardin")
    screenshot("admin-marketing-dashboard")
