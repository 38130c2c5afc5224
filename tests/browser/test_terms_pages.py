"""The terms banner and the acceptance page, the ranking page and the data page, in a real
browser (P2B art. 3, 5, 7, 9)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from compliance.models import StoreDataExport, TermsDecision
from compliance.services.data_access import build_store_export
from compliance.services.terms import publish_terms
from tests.browser.test_pages import log_in

pytestmark = pytest.mark.browser

TEXT = (
    "Article 1 - Objet\nLes présentes conditions régissent la vente par le magasin sur la place "
    "de marché du réseau.\n\nArticle 2 - Commission\nLa commission est de 11 % du prix payé."
)


def test_lyon_owner_sees_the_banner_reads_the_terms_and_accepts(
    page, screenshot, lyon_store, lyon_owner, hq_admin
):
    publish_terms(
        title="Conditions magasins 2027", body=TEXT, actor=hq_admin,
        effective_on=timezone.localdate() + timedelta(days=15),
        changes_summary="La commission passe de 12 % à 11 %.",
    )  # fmt: skip
    log_in(page, lyon_owner.email)
    page.goto(f"/store/{lyon_store.slug}/")
    banner = page.get_by_test_id("terms-banner")
    expect(banner).to_contain_text("version 1")
    screenshot("backoffice-terms-banner")

    banner.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Conditions des magasins")
    expect(page.get_by_test_id("terms-decision")).to_be_visible()
    page.get_by_text("Conditions magasins 2027").click()
    expect(page.get_by_test_id("terms-versions")).to_contain_text("11 %")
    with page.expect_download() as download:
        page.get_by_test_id("terms-pdf-1").click()
    assert download.value.suggested_filename == "conditions-magasins-v1.pdf"
    screenshot("backoffice-terms-page")

    page.get_by_test_id("accept-terms").click()
    expect(page.get_by_text("Vous avez accepté la version 1.")).to_be_visible()
    expect(page.get_by_test_id("terms-banner")).to_have_count(0)
    expect(page.get_by_test_id("terms-versions")).to_contain_text("Acceptées")
    screenshot("backoffice-terms-accepted")
    assert TermsDecision.objects.get().decided_by == lyon_owner

    page.goto(f"/store/{lyon_store.slug}/stock/")
    expect(page.get_by_test_id("terms-banner")).to_have_count(0)

    # The public page: no version in force yet, the announced one with its PDF
    page.goto("/")
    page.get_by_role("link", name="Conditions des magasins").click()
    expect(page.get_by_text("La version 1 entre en vigueur le")).to_be_visible()
    screenshot("public-store-terms")


def test_ranking_pages_and_the_store_s_data_export(page, screenshot, lyon_store, lyon_owner):
    page.goto("/legal/data-access/")
    expect(page.get_by_test_id("data-party")).to_have_count(3)
    screenshot("public-data-access")
    page.goto("/legal/ranking/")
    expect(page.get_by_test_id("weight-distance_weight")).to_contain_text("40,0 %")
    expect(page.get_by_test_id("own-locations")).to_contain_text("Entrepôt en premier")
    screenshot("public-ranking")

    log_in(page, lyon_owner.email)
    page.goto(f"/store/{lyon_store.slug}/")
    page.get_by_test_id("nav-p2b-terms").click()
    page.get_by_role("link", name="Classement et routage").click()
    expect(page.get_by_test_id("weight-fairness_weight")).to_contain_text("15,0 %")
    screenshot("backoffice-ranking")

    # An export the worker is building: the page polls its progress and offers the file when
    # the worker is done.
    building = StoreDataExport.objects.create(
        store=lyon_store, requested_by_label=lyon_owner.email, status="running", progress=43
    )
    page.get_by_role("link", name="Vos données").click()
    row = page.locator("tr[data-status]")
    expect(row.locator("[data-role=label]")).to_contain_text("En préparation (43 %)")
    expect(page.get_by_test_id("request-export")).to_have_count(0)  # one at a time
    screenshot("backoffice-data-export-progress")
    build_store_export(export_id=building.pk)
    expect(row.locator("[data-role=label]")).to_have_text("Prêt")
    with page.expect_download() as download:
        page.get_by_test_id("download-export").click()
    assert download.value.suggested_filename.endswith(".zip")
    screenshot("backoffice-data-export")
