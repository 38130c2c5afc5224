"""The store's "Données fiscales (DAC7)" page in a real browser, in French: the owner types a
SIREN with a wrong key and an IBAN with a wrong checksum (each refused under its field,
nothing saved), corrects them and saves; then reads the copy of a declaration."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from compliance.models import Dac7SellerData, Dac7SellerReport
from compliance.services.dac7 import prepare_declaration, save_dac7_data
from stores.models import StoreMembership
from tests.browser.conftest import sign_in_to_admin
from tests.browser.test_pages import log_in
from tests.compliance.dac7_helpers import (
    BAD_KEY_IBAN,
    IBAN,
    at,
    dac7_values,
    franchise_store,
    siren_of,
    wrong_key,
)
from tests.factories import MembershipFactory
from tests.payments.money_helpers import book_sale

pytestmark = pytest.mark.browser


def test_the_owner_gives_the_tax_data_and_reads_the_copy(page, screenshot, db):
    store = franchise_store(name="Ardoise Annecy", slug="annecy", company_name="SARL Annecy Maison")
    owner = MembershipFactory(
        store=store, role=StoreMembership.Role.OWNER, user__email="owner.annecy@example.com"
    ).user
    siren = siren_of(store)
    log_in(page, owner.email)

    page.goto(f"/store/{store.slug}/")
    page.get_by_test_id("nav-compliance-tax-data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Données fiscales (DAC7)")
    expect(page.get_by_test_id("dac7-missing")).to_contain_text("pas encore été fournies")

    # A SIREN with a wrong key and an IBAN with a wrong checksum
    page.get_by_label("Numéro d'identification fiscale (NIF)").fill(wrong_key(siren))
    page.get_by_label("IBAN du compte crédité").fill(BAD_KEY_IBAN)
    page.get_by_label("Titulaire du compte").fill("SARL Annecy Maison")
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_test_id("dac7-errors")).to_be_visible()
    expect(page.locator("#id_tin-error")).to_contain_text("Ce SIREN n'est pas valide")
    expect(page.locator("#id_iban-error")).to_contain_text("Cet IBAN n'est pas valide")
    screenshot("dac7-tax-data-errors")
    assert not Dac7SellerData.objects.filter(store=store).exists()

    # Corrected, it is saved
    page.get_by_label("Numéro d'identification fiscale (NIF)").fill(siren)
    page.get_by_label("IBAN du compte crédité").fill(IBAN)
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_test_id("dac7-complete")).to_be_visible()
    assert Dac7SellerData.objects.get(store=store).tin == siren
    screenshot("dac7-tax-data-saved")

    # HQ declares the year: the store reads its copy
    for day in range(30):
        book_sale(store, gross=10_000, commission=1_500, occurred_at=at(2026, 4, 1 + day))
    prepare_declaration(year=2026)
    page.reload()
    page.get_by_test_id("dac7-copies").get_by_role("link", name="Ouvrir la copie").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Copie de la déclaration DAC7 pour 2026"
    )
    expect(page.get_by_test_id("dac7-copy-quarters")).to_contain_text("2460,00")
    assert Dac7SellerReport.objects.get(store=store).reported
    screenshot("dac7-copy")


def test_hq_prepares_the_declaration_in_the_admin_and_downloads_the_xml(page, screenshot, hq_admin):
    store = franchise_store(name="Ardoise Chambéry", slug="chambery")
    save_dac7_data(store=store, actor="owner", values=dac7_values(store))
    for day in range(30):
        book_sale(store, gross=10_000, commission=1_500, occurred_at=at(2025, 10, 1 + day))
    sign_in_to_admin(page, hq_admin, "/admin/compliance/dac7declaration/")

    page.get_by_role("link", name="Préparer une déclaration").click()
    page.get_by_label("Année déclarée").fill("2999")
    page.get_by_role("button", name="Préparer").click()
    expect(page.locator(".errorlist")).to_contain_text("année écoulée")
    page.get_by_label("Année déclarée").fill("2025")
    page.get_by_role("button", name="Préparer").click()

    expect(page.locator(".messagelist")).to_contain_text("La déclaration est préparée et valide")
    expect(page.locator("#content")).to_contain_text("Ardoise Chambéry")
    screenshot("dac7-admin-declaration")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le XML").first.click()
    assert download.value.suggested_filename.startswith("DPIDAC7_2025_912345678_001_")
