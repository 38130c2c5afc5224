"""HQ's support looks up a customer in the admin by her e-mail: her profile reads as text, with
a link to her address book, and nothing offers to change it."""

import pytest
from playwright.sync_api import expect

from accounts.services import choose_favourite_store, save_address, update_profile
from tests.browser.conftest import sign_in_to_admin
from tests.factories import UserFactory
from tests.stores.factories import build_network

pytestmark = pytest.mark.browser


@pytest.fixture
def lea(transactional_db):
    network = build_network()
    lea = UserFactory(email="lea.martin@example.com", first_name="Léa", last_name="Martin")
    update_profile(
        user=lea, first_name="Léa", last_name="Martin", phone="06 12 34 56 78", actor=lea
    )
    choose_favourite_store(user=lea, store=network.presquile, actor=lea)
    save_address(
        user=lea, label="Maison", address_line="3 rue Mercière", postal_code="69002",
        city="Lyon", make_default=True, actor=lea,
    )  # fmt: skip
    other = UserFactory(email="paul.roux@example.com")
    update_profile(user=other, first_name="Paul", last_name="Roux", phone="", actor=other)
    return lea


def test_support_finds_a_customer_by_e_mail_and_reads_her_account(page, screenshot, hq_admin, lea):
    sign_in_to_admin(page, hq_admin, "/admin/accounts/customerprofile/")
    page.locator("#searchbar").fill("lea.martin")
    page.locator("#searchbar").press("Enter")

    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("06 12 34 56 78")
    expect(rows).to_contain_text("Ardoise Lyon Presqu'île")
    expect(page.locator('a[href$="/customerprofile/add/"]')).to_have_count(0)
    screenshot("admin-customer-profiles")

    rows.get_by_role("link", name="lea.martin@example.com").click()
    expect(page.locator("input[name=phone]")).to_have_count(0)
    expect(page.get_by_role("button", name="Enregistrer")).to_have_count(0)
    screenshot("admin-customer-profile")

    page.get_by_role("link", name="Voir ses adresses").click()
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    expect(page.locator("#result_list")).to_contain_text("3 rue Mercière")
    screenshot("admin-customer-addresses")
