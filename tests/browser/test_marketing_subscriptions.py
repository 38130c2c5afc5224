"""The Lyon owner subscribes to digital packs in a real browser (local ads: the feed URL shown
once; Google Business Profile), is told why a pause is refused during the commitment, and
downloads the GBP sheet; HQ reads the subscriptions and runs a month's billing in admin."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from marketing_hub.models import Subscription, SubscriptionCharge
from marketing_hub.services.deliverables import generate_deliverables
from marketing_hub.services.subscriptions import subscribe
from tests.browser.test_pages import log_in
from tests.factories import StockLevelFactory, VariantFactory
from tests.marketing_hub.subscriptions_fixtures import make_plans

pytestmark = pytest.mark.browser
SUBSCRIBE = "S\u2019abonner"  # the button, with its typographic apostrophe


@pytest.fixture
def packs(lyon_store):
    plans = make_plans()
    StockLevelFactory(
        store=lyon_store,
        variant=VariantFactory(sku="SEC-001", product__name="Sécateur Expert"),
        on_hand=8,
        price_cents=3_490,
    )
    return plans


def test_lyon_owner_subscribes_to_packs_and_downloads_the_gbp_sheet(
    page, screenshot, lyon_store, lyon_owner, packs
):
    log_in(page, lyon_owner.email)
    page.goto(f"/store/{lyon_store.slug}/marketing/packs/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Packs digitaux")
    screenshot("marketing-packs-empty")

    # Local ads: confirm, then the feed URL is shown once
    page.get_by_test_id("plan-annonces-locales").get_by_role("link", name=SUBSCRIBE).click()
    expect(page.get_by_test_id("first-month")).to_contain_text("HT")
    screenshot("marketing-pack-subscribe-confirm")
    page.get_by_test_id("confirm").click()
    feed = page.get_by_test_id("feed-url")
    expect(feed).to_contain_text("/marketing/feeds/")
    expect(feed.get_by_role("button", name="Copier l\u2019adresse")).to_be_visible()
    screenshot("marketing-packs-feed-url")
    feed_url = page.locator("#feed-url").inner_text()
    assert "SEC-001" in page.request.get(feed_url).text()

    # Google Business Profile, 12 months' commitment
    page.goto(f"/store/{lyon_store.slug}/marketing/packs/")
    expect(page.get_by_test_id("feed-url")).to_have_count(0)
    page.get_by_test_id("plan-gbp-plus").get_by_role("link", name=SUBSCRIBE).click()
    page.get_by_test_id("confirm").click()
    row = page.get_by_test_id("subscription-gbp-plus")
    expect(row).to_contain_text("Active")

    # A pause during the commitment is refused, with the reason
    row.get_by_role("link", name="Mettre en pause").click()
    expect(page.get_by_test_id("preview")).to_contain_text("pendant son engagement")
    page.get_by_test_id("confirm").click()
    expect(page.get_by_test_id("action-error")).to_contain_text("pendant son engagement")
    screenshot("marketing-pack-pause-refused")
    assert Subscription.objects.get(plan=packs.gbp_plus).status == "active"

    # The files, and the GBP sheet downloaded
    page.goto(f"/store/{lyon_store.slug}/marketing/packs/")
    expect(page.get_by_test_id("deliverables-table").locator("tbody tr")).to_have_count(3)
    screenshot("marketing-packs")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # tables scroll inside
    screenshot("marketing-packs-mobile")
    page.set_viewport_size({"width": 1280, "height": 900})
    with page.expect_download() as download:
        page.get_by_test_id("download-gbp_sheet").click()
    sheet = load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active  # noqa: SIM115
    rows = list(sheet.values)
    assert rows[0][:2] == ("Store code", "Business name")
    assert rows[1][:2] == ("lyon-presquile", lyon_store.name)


def test_hq_reads_subscriptions_and_bills_a_month_in_admin(
    page, screenshot, hq_admin, lyon_store, packs
):
    subscription, _secret = subscribe(
        store=lyon_store, plan=packs.social_posts, actor="hq", today=date(2026, 3, 1)
    )
    generate_deliverables(subscription=subscription)
    log_in(page, hq_admin.email)

    page.goto("/admin/marketing_hub/subscription/")
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    page.locator("#result_list tbody input[type=checkbox]").first.check()
    page.locator("select[name=action]").select_option("bill_month")
    page.locator("button[name=index]").click()
    page.get_by_label("Mois à facturer").fill("2026-04-01")
    screenshot("admin-marketing-bill-month")
    page.locator("input[name=apply]").click()
    expect(page.locator(".messagelist")).to_contain_text("1 abonnement facturé")
    screenshot("admin-marketing-subscriptions")
    assert SubscriptionCharge.objects.filter(period_start=date(2026, 4, 1)).count() == 1

    page.goto(f"/admin/marketing_hub/subscription/{subscription.pk}/change/")
    expect(page.locator("body")).to_contain_text("subscription:")
    screenshot("admin-marketing-subscription")
    page.goto("/admin/marketing_hub/deliverable/")
    expect(page.locator("#result_list")).to_contain_text("Fichier")
    screenshot("admin-marketing-deliverables")
