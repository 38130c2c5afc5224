import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD_LABEL

pytestmark = pytest.mark.browser


def test_customer_signs_up_logs_out_and_logs_back_in(page, screenshot, transactional_db):
    email = "nouvelle.cliente@example.com"
    password = "Pivoine-Ardoise-2026"

    # Sign up from the storefront's account menu
    page.goto("/")
    page.get_by_role("link", name="Créer un compte").click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/$"))
    page.get_by_label("Courriel").fill(email)
    page.get_by_label(PASSWORD_LABEL).fill(password)
    page.get_by_label("Mot de passe (confirmation)").fill(password)
    screenshot("signup")
    page.get_by_role("button", name="Création de compte").click()

    # Signed in: the account menu shows who is signed in
    expect(page.get_by_test_id("signed-in-as")).to_have_text(email)
    screenshot("signed-in-home")

    # Log out from the account menu
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()
    expect(page.get_by_test_id("signed-in-as")).to_have_count(0)

    # Log in again with the same credentials
    page.get_by_role("link", name="Se connecter").click()
    page.get_by_label("Courriel").fill(email)
    page.get_by_label(PASSWORD_LABEL).fill(password)
    screenshot("login")
    page.locator("form").get_by_role("button", name="Connexion").click()
    expect(page.get_by_test_id("signed-in-as")).to_have_text(email)

    # And log out once more
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()


def test_wrong_password_shows_a_form_error(page, customer):
    page.goto("/accounts/login/")
    page.get_by_label("Courriel").fill(customer.email)
    page.get_by_label(PASSWORD_LABEL).fill("not-the-password")
    page.locator("form").get_by_role("button", name="Connexion").click()

    expect(page.locator(".errorlist, [role=alert], .alert")).to_contain_text(
        re.compile("incorrect", re.IGNORECASE)
    )
    expect(page.get_by_test_id("signed-in-as")).to_have_count(0)
