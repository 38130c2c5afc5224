"""Acceptance (issue 17): HQ signs in with a second factor; a store owner without one is asked
to set it up before reaching money or stock pages, sets it up, and gets back to the page."""

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD_LABEL
from tests.factories import PASSWORD
from tests.totp import totp_code

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def second_factor_enforced(settings):
    settings.REQUIRE_SECOND_FACTOR = True


def sign_in(page, email, next_path):
    page.goto(f"/accounts/login/?next={next_path}")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.locator("form").get_by_role("button", name="Connexion").click()


def test_hq_signs_in_to_the_admin_with_a_second_factor(page, screenshot, hq_admin):
    secret = generate_totp_secret()
    TOTP.activate(hq_admin, secret)

    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_label("Courriel").fill(hq_admin.email)
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.locator("form").get_by_role("button", name="Connexion").click()

    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    screenshot("second-factor-code")
    page.get_by_label(re.compile("Code")).fill(totp_code(secret))
    page.get_by_role("button", name=re.compile("Se connecter|Connexion")).click()

    expect(page).to_have_url(re.compile(r"/admin/$"))
    screenshot("second-factor-admin")


def test_an_owner_sets_up_a_second_factor_before_the_money_page(
    page, screenshot, lyon_owner, lyon_store
):
    money = f"/store/{lyon_store.slug}/money/"
    sign_in(page, lyon_owner.email, money)

    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/"))
    expect(page.get_by_text("configurez une double authentification", exact=False)).to_be_visible()
    screenshot("second-factor-setup")
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label(re.compile("Code")).fill(totp_code(secret))
    page.get_by_role("button", name=re.compile("Activer|Activate")).click()

    page.get_by_test_id("second-factor-continue").click()
    expect(page).to_have_url(re.compile(re.escape(money) + "$"))
    screenshot("second-factor-back-to-money")
