"""Stripe's webhooks: verified by the SDK, kept once, processed after commit, safe to receive
twice or out of order. The events are signed by our local Stripe server."""

import time

import pytest
from django.urls import reverse

from network_marketplace.models import AuditEvent
from network_marketplace.outbox import deliver_due_messages
from payments import provider_events
from payments.accounts import payment_account_for, refresh_account
from payments.models import PaymentAccount, ProviderEvent

pytestmark = pytest.mark.django_db

WEBHOOK_URL = "/payments/stripe/webhook/"


def post(client, server, event, **sign_kwargs):
    body, signature = server.signed_event(event, **sign_kwargs)
    return client.post(
        WEBHOOK_URL, data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
    )


@pytest.fixture
def lyon_account(stripe_server, lyon_store) -> PaymentAccount:
    return payment_account_for(lyon_store)


def account_event(server, account, *, created, **changes):
    data = server.update_account(account.reference, **changes)
    return server.event("account.updated", data, created=created, account=account.reference)


def test_the_webhook_url_is_the_documented_one():
    assert reverse("payments:stripe-webhook") == WEBHOOK_URL


def test_a_correctly_signed_event_is_stored_once_and_answered_200(client, stripe_server):
    event = stripe_server.event("charge.updated", {"id": "ch_1", "object": "charge"})

    response = post(client, stripe_server, event)

    assert response.status_code == 200
    stored = ProviderEvent.objects.get()
    assert (stored.event_id, stored.type, stored.processed_at) == (event["id"], "charge.updated",
                                                                   None)  # fmt: skip


@pytest.mark.parametrize(
    "sign_kwargs",
    [{"secret": "whsec_someone_else"}, {"timestamp": int(time.time()) - 3600}],
    ids=["wrong-secret", "too-old"],
)
def test_a_badly_signed_event_is_refused_with_400_and_not_stored(
    client, stripe_server, sign_kwargs
):
    event = stripe_server.event("account.updated", {"id": "acct_1", "object": "account"})

    response = post(client, stripe_server, event, **sign_kwargs)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_signature"
    assert not ProviderEvent.objects.exists()


def test_an_event_with_no_signature_is_refused(client):
    response = client.post(WEBHOOK_URL, data=b"{}", content_type="application/json")

    assert response.status_code == 400


def test_an_event_is_processed_after_commit_by_the_outbox(client, stripe_server, lyon_account):
    event = account_event(stripe_server, lyon_account, created=int(time.time()) + 5,
                          charges_enabled=True)  # fmt: skip

    post(client, stripe_server, event)
    lyon_account.refresh_from_db()
    assert not lyon_account.charges_enabled  # not yet: after commit, by the worker
    deliver_due_messages()

    lyon_account.refresh_from_db()
    assert lyon_account.charges_enabled
    assert ProviderEvent.objects.get().processed_at is not None


def test_a_replayed_event_changes_nothing(client, stripe_server, monkeypatch):
    calls = []
    monkeypatch.setitem(
        provider_events._handlers, "test.counted", lambda event: calls.append(event.event_id)
    )
    event = stripe_server.event("test.counted", {"id": "x", "object": "thing"})

    first = post(client, stripe_server, event)
    deliver_due_messages()
    again = post(client, stripe_server, event)
    deliver_due_messages()

    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json()["duplicate"] is True
    assert calls == [event["id"]]
    assert ProviderEvent.objects.count() == 1


def test_an_account_update_arriving_late_does_not_undo_a_newer_one(
    client, stripe_server, lyon_account
):
    now = int(time.time()) + 10
    older = account_event(stripe_server, lyon_account, created=now, currently_due=["x"])
    newer = stripe_server.event(
        "account.updated", stripe_server.complete_onboarding(lyon_account.reference),
        created=now + 60,
    )  # fmt: skip

    post(client, stripe_server, newer)
    post(client, stripe_server, older)
    deliver_due_messages()

    lyon_account.refresh_from_db()
    assert lyon_account.is_ready
    assert lyon_account.currently_due == []
    assert ProviderEvent.objects.get(event_id=older["id"]).outcome.startswith("older")


def test_an_account_with_requirements_past_due_cannot_receive_payouts_and_is_flagged(
    client, stripe_server, lyon_account
):
    stripe_server.complete_onboarding(lyon_account.reference)
    event = account_event(stripe_server, lyon_account, created=int(time.time()) + 5,
                          past_due=["external_account"],
                          disabled_reason="requirements.past_due")  # fmt: skip

    post(client, stripe_server, event)
    deliver_due_messages()

    lyon_account.refresh_from_db()
    assert lyon_account.payouts_enabled
    assert lyon_account.can_receive_payouts is False
    assert lyon_account.onboarding_state == "past_due"
    flag = AuditEvent.objects.get(action="payment_account.past_due")
    assert (flag.store_id, flag.actor_label) == (lyon_account.store_id, "Stripe")
    assert flag.data["past_due"] == ["external_account"]


def test_reading_the_account_again_clears_the_flag_once_requirements_are_met(
    stripe_server, lyon_account
):
    stripe_server.update_account(lyon_account.reference, past_due=["external_account"])
    refresh_account(account=lyon_account)
    stripe_server.complete_onboarding(lyon_account.reference)

    account = refresh_account(account=lyon_account)

    assert account.can_receive_payouts
    assert AuditEvent.objects.filter(action="payment_account.requirements_met").count() == 1


def test_an_event_of_a_type_nobody_handles_is_kept_as_ignored(client, stripe_server):
    post(client, stripe_server, stripe_server.event("customer.created", {"id": "cus_1"}))

    deliver_due_messages()

    assert ProviderEvent.objects.get().outcome == "ignored"


def test_events_signed_by_the_connect_endpoint_secret_are_accepted_too(
    client, stripe_server, settings
):
    settings.STRIPE_WEBHOOK_SECRET = f"whsec_platform, {stripe_server.webhook_secret}"
    event = stripe_server.event("account.updated", {"id": "acct_1", "object": "account"})

    assert post(client, stripe_server, event).status_code == 200
