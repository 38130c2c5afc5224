"""The Lyon owner reads the store's money in a real browser (balance, next payout and what is
held back, payouts, statement, invoices, commission per order); HQ reads the network's money
dashboard in admin."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from fulfillment.models import Return
from fulfillment.services import request_return
from payments import invoices, payouts
from stores.models import StoreMembership
from tests.browser.test_pages import log_in
from tests.factories import PASSWORD, MembershipFactory, StoreFactory
from tests.fulfillment.returns_helpers import Sold, all_of, received_order
from tests.payments.money_helpers import (
    book_marketing_charge,
    book_reversal,
    book_sale,
    open_account,
)
from tests.payments.test_branch_money import book_branch_sale

pytestmark = pytest.mark.browser


@pytest.fixture
def lyon_money(lyon_store, paris_store):
    """A month of the Lyon store: sales paid out, a refund, a marketing pack, a recent sale
    still returnable and a return in progress, and its commission invoice."""
    open_account(lyon_store)
    open_account(paris_store, past_due=["external_account"])
    for gross in (12_990, 4_590, 8_900):
        book_sale(lyon_store, gross=gross, commission=gross // 10)
    payouts.run_payouts(force=True)
    book_sale(lyon_store, gross=24_900, commission=2_490)
    book_reversal(lyon_store, gross=4_590, commission=459)
    book_marketing_charge(lyon_store, amount_excl=4_900)
    book_sale(paris_store, gross=15_000, commission=1_500)
    received_order(Sold(lyon_store, unit_price_cents=3_990), received_days_ago=3)
    returned = received_order(Sold(lyon_store, unit_price_cents=2_490), received_days_ago=1)
    request_return(
        order=returned, lines=all_of(returned), reason=Return.Reason.CHANGED_MIND,
        method=Return.Method.IN_STORE, store=lyon_store, actor="customer",
    )  # fmt: skip
    invoices.issue_commission_invoices(period=timezone.localdate())
    return lyon_store


def test_lyon_owner_reads_the_store_s_money(page, screenshot, lyon_money, lyon_owner):
    log_in(page, lyon_owner.email)
    page.goto(f"/store/{lyon_money.slug}/")
    page.get_by_test_id("nav-money").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Finances")
    expect(page.get_by_test_id("reserve")).to_contain_text("1 retour en cours")
    expect(page.get_by_test_id("reserve")).to_contain_text("1 vente que le client")
    expect(page.get_by_test_id("payouts-table").locator("tbody tr")).to_have_count(1)
    expect(page.get_by_test_id("payouts-blocked")).to_have_count(0)
    screenshot("backoffice-money")

    page.get_by_role("link", name="Relevés").click()
    expect(page.get_by_test_id("statement-table")).to_contain_text("Solde d'ouverture")
    expect(page.get_by_test_id("statement-table")).to_contain_text("Solde de clôture")
    with page.expect_download() as download:
        page.get_by_test_id("statement-pdf").click()
    assert download.value.suggested_filename.endswith(".pdf")
    screenshot("backoffice-money-statement")
    page.get_by_label("Du", exact=True).fill("2026-03-01")
    page.get_by_label("Au", exact=True).fill("2026-02-01")
    page.get_by_label("Du", exact=True).press("Enter")
    expect(page.get_by_test_id("period-errors")).to_have_text("La fin est avant le début.")
    screenshot("backoffice-money-statement-error")

    page.get_by_role("link", name="Factures").first.click()
    expect(page.get_by_test_id("invoices-table")).to_contain_text("F20")
    screenshot("backoffice-money-invoices")

    page.get_by_role("link", name="Commission par commande").click()
    expect(page.get_by_test_id("commissions-table").locator("tbody tr")).to_have_count(5)
    screenshot("backoffice-money-commissions")

    # Another store's money is not there for this user
    response = page.goto("/store/paris-bastille/money/")
    assert response.status == 404


def test_hq_reads_the_network_money_dashboard(page, screenshot, lyon_money, hq_admin):
    hq_admin.set_password(PASSWORD)
    hq_admin.save()
    log_in(page, hq_admin.email)
    page.goto("/admin/payments/payout/")
    page.get_by_test_id("money-dashboard-link").click()

    table = page.get_by_test_id("money-by-store")
    expect(table).to_contain_text(lyon_money.name)
    expect(table).to_contain_text("Ardoise Paris Bastille")
    expect(page.get_by_test_id("payouts-on-hold")).to_contain_text("external_account")
    screenshot("hq-money-dashboard")


@pytest.mark.parametrize(
    ("width", "height"), [(1280, 900), (390, 844)], ids=["desktop-1280", "phone-390"]
)
def test_a_branch_manager_reads_what_a_branchs_money_is(page, screenshot, width, height, db):
    branch = StoreFactory(name="Ardoise Villeurbanne", slug="villeurbanne", kind="branch")
    for number, gross in enumerate((9_990, 5_608, 5_500)):
        book_branch_sale(branch, gross=gross, reference=f"sale:fulfilment:{number}")
    manager = MembershipFactory(
        store=branch, user__email="manager.villeurbanne@example.com",
        role=StoreMembership.Role.MANAGER,
    ).user  # fmt: skip
    page.set_viewport_size({"width": width, "height": height})
    log_in(page, manager.email)

    page.goto(f"/store/{branch.slug}/money/")
    own = page.get_by_test_id("hq-own-money")
    expect(own).to_contain_text("Une succursale")
    expect(own.get_by_test_id("own-sales")).to_have_text("210,98\xa0€")
    expect(page.get_by_test_id("reserve")).to_have_count(0)
    screenshot(f"backoffice-branch-money-{width}")

    page.get_by_role("link", name="Commission par commande").click()
    expect(page.get_by_test_id("hq-own-commissions")).to_contain_text("aucune commission")
    expect(page.get_by_test_id("commissions-table")).to_have_count(0)
    screenshot(f"backoffice-branch-commissions-{width}")
