"""The store's payment account in the back-office: HQ opens it and starts the onboarding at
Stripe (our local server), the owner sees its state and continues; the rest of the team does
not see it. HQ's admin flags the accounts whose requirements are past due."""

import pytest

from network_marketplace.models import AuditEvent
from payments.accounts import payment_account_for
from payments.models import PaymentAccount

pytestmark = pytest.mark.django_db

PAGE = "/store/lyon-presquile/payments/"
ONBOARDING = "/store/lyon-presquile/payments/onboarding/"


def test_hq_opens_the_account_and_is_sent_to_stripes_onboarding(
    client, hq_admin, lyon_store, stripe_server
):
    client.force_login(hq_admin)
    page = client.get(PAGE)
    assert page.status_code == 200
    assert "Non ouvert" in page.content.decode()

    response = client.post(ONBOARDING)

    account = PaymentAccount.objects.get(store=lyon_store)
    assert response.status_code == 302
    assert response.url.startswith(f"{stripe_server.url}/onboarding/{account.reference}")
    link = stripe_server.calls[-1]
    assert link.params["return_url"] == f"http://testserver{PAGE}?returned=1"
    assert link.params["refresh_url"] == f"http://testserver{ONBOARDING}"
    assert AuditEvent.objects.filter(action="payment_account.onboarding_started",
                                     actor_user=hq_admin).exists()  # fmt: skip


def test_coming_back_from_the_onboarding_reads_the_account_again(
    client, hq_admin, lyon_store, stripe_server
):
    account = payment_account_for(lyon_store)
    stripe_server.complete_onboarding(account.reference)
    client.force_login(hq_admin)

    response = client.get(f"{PAGE}?returned=1", follow=True)

    account.refresh_from_db()
    assert account.is_ready
    assert "Prêt" in response.content.decode()


def test_the_page_lists_what_the_provider_still_needs(
    client, lyon_owner, lyon_store, stripe_server
):
    payment_account_for(lyon_store)
    client.force_login(lyon_owner)

    html = client.get(PAGE).content.decode()

    assert "Inscription incomplète" in html
    assert "Le compte bancaire du magasin" in html
    assert 'data-testid="continue-onboarding"' in html


def test_the_owner_cannot_open_the_account_but_continues_an_open_one(
    client, lyon_owner, lyon_store, stripe_server
):
    client.force_login(lyon_owner)

    client.post(ONBOARDING)
    assert not PaymentAccount.objects.exists()

    payment_account_for(lyon_store)
    response = client.post(ONBOARDING)
    assert response.status_code == 302
    assert "/onboarding/acct_" in response.url


def test_an_expired_link_sends_the_owner_to_a_fresh_one(
    client, lyon_owner, lyon_store, stripe_server
):
    payment_account_for(lyon_store)
    client.force_login(lyon_owner)

    response = client.get(ONBOARDING)

    assert response.status_code == 302
    assert "/onboarding/acct_" in response.url


@pytest.mark.parametrize("who", ["lyon_staff", "paris_owner"])
def test_the_rest_of_the_team_and_other_stores_do_not_see_the_account(
    client, request, who, stripe_server
):
    client.force_login(request.getfixturevalue(who))

    assert client.get(PAGE).status_code == 404
    assert client.post(ONBOARDING).status_code == 404


def test_a_past_due_account_shows_a_notice_in_the_back_office(
    client, lyon_owner, lyon_store, stripe_server
):
    account = payment_account_for(lyon_store)
    PaymentAccount.objects.filter(pk=account.pk).update(past_due=["external_account"],
                                                        payouts_enabled=True)  # fmt: skip
    client.force_login(lyon_owner)

    html = client.get("/store/lyon-presquile/").content.decode()

    assert 'data-testid="payment-account-notice"' in html


def test_stripe_down_when_starting_the_onboarding_is_said_not_crashed(
    client, hq_admin, lyon_store, stripe_server
):
    stripe_server.fail_next(500)
    client.force_login(hq_admin)

    response = client.post(ONBOARDING, follow=True)

    assert response.status_code == 200
    assert "ne répond pas" in response.content.decode()


def test_hq_filters_the_accounts_past_due_in_admin(
    client, hq_admin, lyon_store, paris_store, stripe_server
):
    lyon = payment_account_for(lyon_store)
    payment_account_for(paris_store)
    PaymentAccount.objects.filter(pk=lyon.pk).update(past_due=["external_account"])
    client.force_login(hq_admin)

    html = client.get("/admin/payments/paymentaccount/?payout_state=past_due").content.decode()

    assert lyon.reference in html
    assert PaymentAccount.objects.get(store=paris_store).reference not in html
    assert client.get("/admin/payments/providerevent/").status_code == 200
