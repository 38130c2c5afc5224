"""DSA art. 30-31 and 24 in a real browser: the product page's safety block and each offer's
seller identity; the store's trader page (certify, then complete); the public transparency
page with a published report."""

from __future__ import annotations

from datetime import date

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from compliance.models import MonthlyActiveRecipients, TraderCertification
from compliance.services.traders import certify_trader, update_trader_evidence
from compliance.services.transparency_report import (
    generate_transparency_report,
    publish_transparency_report,
)
from tests.browser.test_pages import log_in
from tests.factories import StockLevelFactory

pytestmark = pytest.mark.browser


def test_the_product_page_shows_the_sellers_identity_and_the_safety_information(
    page, screenshot, lyon_store, lyon_owner
):
    update_trader_evidence(
        store=lyon_store,
        actor=lyon_owner,
        legal_representative="Camille Martin",
        id_document_reference="CNI 180469012345",
        bank_account_holder=lyon_store.company_name,
        bank_evidence_reference="FR76 3000 4000 0312 3456 7890 143",
        enforce=False,
    )
    certify_trader(
        store=lyon_store, actor=lyon_owner, text_version=settings.TRADER_CERTIFICATION_VERSION
    )
    offer = StockLevelFactory(
        store=lyon_store,
        on_hand=4,
        variant__product__name="Sécateur à lame franche",
        variant__product__product_identifier="Modèle ARD-JAR-0001",
    )
    product = offer.variant.product

    page.goto(f"/p/{product.slug}/?lat=45.7578&lng=4.832")

    seller = page.get_by_test_id("seller-identity")
    expect(seller).to_contain_text(f"Vendu par {lyon_store.name}, professionnel")
    expect(seller).to_contain_text(lyon_store.registration_number)
    expect(seller).to_contain_text(lyon_store.legal_address)
    expect(seller).to_contain_text("certifie ne proposer que des produits conformes")
    safety = page.get_by_test_id("product-safety")
    expect(safety.get_by_role("heading")).to_have_text("Informations de sécurité")
    expect(safety).to_contain_text(product.manufacturer_name)
    expect(safety).to_contain_text("Modèle ARD-JAR-0001")
    seller.scroll_into_view_if_needed()
    screenshot("compliance-product-seller")
    safety.scroll_into_view_if_needed()
    screenshot("compliance-product-safety")


def test_the_owner_certifies_on_the_trader_page(page, screenshot, lyon_store, lyon_owner):
    log_in(page, lyon_owner.email)
    page.goto(f"/store/{lyon_store.slug}/compliance/trader/")
    expect(page.get_by_test_id("trader-missing")).to_contain_text("auto-certification")

    page.get_by_label("Représentant légal").fill("Camille Martin")
    page.get_by_label("Pièce d'identité du représentant").fill("CNI 180469012345")
    page.get_by_label("Titulaire du compte bancaire").fill(lyon_store.company_name)
    page.get_by_label("IBAN ou référence du RIB").fill("FR76 3000 4000 0312 3456 7890 143")
    page.get_by_label("Je certifie la déclaration ci-dessus").check()
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_test_id("trader-complete")).to_be_visible()
    assert TraderCertification.objects.get(store=lyon_store).certified_by == lyon_owner
    screenshot("compliance-trader-page")


def test_the_public_transparency_page_shows_the_published_report(page, screenshot, hq_admin):
    year = timezone.localdate().year - 1
    months = [date(year, month, 1) for month in range(7, 13)]
    months += [date(year + 1, month, 1) for month in range(1, 7)]
    for index, month in enumerate(months):
        MonthlyActiveRecipients.objects.create(
            month=month, recipients=1000 + index * 10, method="test"
        )
    report = generate_transparency_report(year=year, actor=hq_admin)
    publish_transparency_report(report=report, actor=hq_admin)

    page.goto("/legal/transparency/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Rapport de transparence")
    expect(page.get_by_test_id("active-recipients")).to_contain_text("1085")
    expect(page.get_by_test_id("transparency-report")).to_contain_text(f"Rapport {year}")
    expect(page.get_by_test_id("transparency-report")).to_contain_text("Signalements reçus")
    screenshot("compliance-transparency-page")


def test_hq_confirms_an_illegal_product_and_the_public_notice_lists_it(
    page, screenshot, lyon_store, hq_admin
):
    from compliance.models import IllegalProductCase
    from tests.compliance.test_illegal_products import sale

    charger = StockLevelFactory(store=lyon_store, variant__product__name="Chargeur X").variant
    sale(charger, lyon_store, email="lea@example.com")
    sale(charger, lyon_store, email="")  # a buyer who left no contact
    log_in(page, hq_admin.email)

    page.goto("/admin/compliance/illegalproductcase/add/")
    page.locator(".field-product .select2-selection").click()  # the admin's autocomplete
    page.locator(".select2-search__field").fill("Chargeur")
    page.locator(".select2-results__option", has_text="Chargeur X").click()
    page.locator("#id_illegality").fill("Le chargeur surchauffe : non conforme.")
    page.locator("#id_legal_ground").fill("Directive 2014/35/UE")
    page.locator("[name=_save]").click()
    expect(page.locator(".errorlist")).to_contain_text("Cochez la case pour confirmer.")
    assert not IllegalProductCase.objects.exists()
    page.locator("#id_confirm").check()
    screenshot("compliance-admin-illegal-product-confirm")
    page.locator("[name=_save]").click()
    expect(page.locator(".messagelist")).to_be_visible()
    case = IllegalProductCase.objects.get()
    assert case.buyers.count() == 2  # the job ran on commit (tasks run eagerly here)

    page.goto(f"/admin/compliance/illegalproductcase/{case.pk}/change/")
    expect(page.locator("#content")).to_contain_text("lea@example.com")
    screenshot("compliance-admin-illegal-product-buyers")

    page.goto("/legal/illegal-products/")
    expect(page.get_by_test_id("illegal-product")).to_contain_text("Chargeur X")
    screenshot("compliance-illegal-products-notice")


def test_hq_generates_the_report_and_sees_the_stores_trader_data(
    page, screenshot, lyon_store, hq_admin
):
    log_in(page, hq_admin.email)

    page.goto("/admin/compliance/transparencyreport/generate/")
    page.locator("#id_year").fill(str(timezone.localdate().year))
    screenshot("compliance-admin-report-generate")
    page.get_by_role("button", name="Générer").click()
    expect(page.locator(".messagelist")).to_contain_text("Le rapport est généré.")
    expect(page.locator("#content")).to_contain_text("Notices received")
    screenshot("compliance-admin-report")

    page.goto("/admin/compliance/traderevidence/overview/")
    expect(page.get_by_test_id("trader-overview")).to_contain_text(lyon_store.name)
    expect(page.get_by_test_id("trader-overview")).to_contain_text("auto-certification")
    screenshot("compliance-admin-trader-overview")
