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
    expect(page.get_by_test_id("transparency-report")).to_contain_text("Notices received")
    screenshot("compliance-transparency-page")
