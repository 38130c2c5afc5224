"""HQ opens the Lyon store's payment account and goes through Stripe's onboarding (our local
Stripe server's hosted page) in a real browser; back on the back-office, the account is read
again and shown ready. Then a requirement falls past due and the owner is told."""

import time

import pytest
from playwright.sync_api import expect

from network_marketplace.outbox import deliver_due_messages
from payments.models import PaymentAccount
from tests.browser.test_pages import log_in

pytestmark = pytest.mark.browser


def test_hq_starts_the_onboarding_and_the_owner_sees_a_past_due_requirement(
    page, screenshot, hq_admin, lyon_owner, lyon_store, stripe_server, live_server
):
    # HQ finds the payment account in the store's back-office: not opened yet
    log_in(page, hq_admin.email)
    page.goto(f"/store/{lyon_store.slug}/")
    nav = page.get_by_role("navigation", name="Back-office")
    nav.get_by_role("link", name="Compte de paiement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Compte de paiement")
    expect(page.get_by_test_id("payment-account-state")).to_have_text("Non ouvert")
    screenshot("backoffice-payment-account-not-opened")

    # It opens the account and lands on the provider's onboarding
    page.get_by_test_id("start-onboarding").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Onboarding of acct_")
    account = PaymentAccount.objects.get(store=lyon_store)
    assert account.reference in page.url

    # The details are submitted there; back on the back-office, the account is read again
    page.locator("#complete").click()
    expect(page.get_by_test_id("payment-account-state")).to_have_text("Prêt")
    assert page.url.endswith(f"/store/{lyon_store.slug}/payments/")
    screenshot("backoffice-payment-account-ready")

    # Later a requirement falls past due: Stripe's account.updated webhook says so
    data = stripe_server.update_account(
        account.reference, past_due=["external_account"], disabled_reason="requirements.past_due"
    )
    event = stripe_server.event("account.updated", data, created=int(time.time()) + 5)
    assert stripe_server.post_event(f"{live_server.url}/payments/stripe/webhook/", event) == 200
    deliver_due_messages()

    # The owner sees the notice on every back-office page, and what is needed
    page.context.clear_cookies()
    log_in(page, lyon_owner.email)
    page.goto(f"/store/{lyon_store.slug}/")
    expect(page.get_by_test_id("payment-account-notice")).to_be_visible()
    page.get_by_role("link", name="Voir ce qui manque").click()
    expect(page.get_by_test_id("payment-account-state")).to_have_text("Informations en retard")
    expect(page.get_by_test_id("past-due")).to_contain_text("Le compte bancaire du magasin")
    expect(page.get_by_test_id("continue-onboarding")).to_be_visible()
    screenshot("backoffice-payment-account-past-due")
    account.refresh_from_db()
    assert account.can_receive_payouts is False
