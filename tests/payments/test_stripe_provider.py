"""The stripe_connect provider through the official SDK, against our local Stripe server."""

import pytest

from payments.providers import ProviderUnavailable, get_provider
from payments.stripe_connect import StripeConnectProvider


@pytest.fixture
def stripe(stripe_server) -> StripeConnectProvider:
    provider = get_provider()
    assert isinstance(provider, StripeConnectProvider)
    return provider


@pytest.fixture
def lyon_account(stripe, stripe_server):
    state = stripe.create_account(store_slug="lyon-presquile", email="lyon@example.com",
                                  country="FR")  # fmt: skip
    stripe_server.complete_onboarding(state.reference)
    return state.reference


def charge(provider, token="tok_visa", key="order:1:charge", amount=5990):  # noqa: S107
    return provider.charge(
        amount_cents=amount, currency="EUR", token=token, idempotency_key=key,
        description="Order ARD-0000001", transfer_group="ARD-0000001",
    )  # fmt: skip


def test_a_charge_is_one_confirmed_payment_intent_grouped_by_the_order(stripe, stripe_server):
    result = charge(stripe)

    assert result.succeeded
    assert not result.pending
    assert result.reference.startswith("pi_")
    assert (result.amount_cents, result.fee_cents) == (5990, 115)
    intent = stripe_server.objects[result.reference]
    assert (intent["status"], intent["transfer_group"], intent["currency"]) == (
        "succeeded", "ARD-0000001", "eur",
    )  # fmt: skip
    assert stripe_server.calls[-1].idempotency_key == "order:1:charge"


def test_the_same_idempotency_key_charges_once(stripe, stripe_server):
    first = charge(stripe)
    second = charge(stripe)

    assert first.reference == second.reference
    assert len(stripe_server.of_type("charge")) == 1


def test_the_same_key_with_other_parameters_is_refused_like_stripe(stripe):
    charge(stripe)

    with pytest.raises(Exception, match="same parameters") as raised:
        charge(stripe, amount=100)
    assert type(raised.value).__name__ == "IdempotencyError"


@pytest.mark.parametrize("token", ["tok_decline", "pm_card_chargeDeclined"])
def test_a_declined_card_is_a_failed_result_with_stripes_message(stripe, stripe_server, token):
    result = charge(stripe, token=token)

    assert not result.succeeded
    assert not result.pending
    assert result.failure_message == "Your card was declined."
    assert stripe_server.of_type("charge") == []


@pytest.mark.parametrize("status", [429, 500, 503], ids=["rate-limit", "api-down", "unavailable"])
def test_a_provider_that_cannot_answer_raises_provider_unavailable(stripe, stripe_server, status):
    stripe_server.fail_next(status)

    with pytest.raises(ProviderUnavailable):
        charge(stripe)
    # No retry by the SDK: our outbox retries, with the same key, and it goes through then.
    assert len(stripe_server.calls) == 1
    assert charge(stripe).succeeded


def test_a_charge_waiting_for_the_bank_is_pending_until_retrieved_succeeded(stripe, stripe_server):
    result = charge(stripe, token="tok_delayed")
    assert result.pending
    assert not result.succeeded
    # In test mode the demo token is Stripe's own 3-D Secure test card.
    assert stripe_server.calls[-1].params["payment_method"] == "pm_card_threeDSecure2Required"

    stripe_server.complete_intent(result.reference)
    later = stripe.retrieve_charge(charge_reference=result.reference)

    assert later.succeeded
    assert later.fee_cents == 115


def test_retrieving_a_charge_when_stripe_is_down_raises_provider_unavailable(stripe, stripe_server):
    result = charge(stripe)
    stripe_server.fail_next(500)

    with pytest.raises(ProviderUnavailable):
        stripe.retrieve_charge(charge_reference=result.reference)


def test_a_refund_gives_back_part_of_the_charge_once_per_key(stripe, stripe_server):
    paid = charge(stripe)

    first = stripe.refund(charge_reference=paid.reference, amount_cents=1000, idempotency_key="r1")
    again = stripe.refund(charge_reference=paid.reference, amount_cents=1000, idempotency_key="r1")

    assert first.succeeded
    assert first.reference.startswith("re_")
    assert first == again
    assert stripe.retrieve_refund(refund_reference=first.reference).amount_cents == 1000
    assert stripe.retrieve_charge(charge_reference=paid.reference).refunded_cents == 1000


def test_a_refund_above_what_is_left_is_refused(stripe):
    paid = charge(stripe)

    result = stripe.refund(charge_reference=paid.reference, amount_cents=9999, idempotency_key="r")

    assert not result.succeeded
    assert "greater than unrefunded" in result.failure_message


def test_a_store_account_is_opened_with_a_manual_payout_schedule(stripe, stripe_server):
    state = stripe.create_account(store_slug="lyon-presquile", email="lyon@example.com",
                                  country="FR")  # fmt: skip

    account = stripe_server.objects[state.reference]
    assert state.reference.startswith("acct_")
    assert (account["type"], account["settings"]["payouts"]["schedule"]["interval"]) == (
        "express", "manual",
    )  # fmt: skip
    assert not state.payouts_enabled
    assert "external_account" in state.currently_due


def test_an_account_link_leads_to_the_hosted_onboarding_and_back(stripe):
    state = stripe.create_account(store_slug="lyon-presquile", email="", country="FR")

    url = stripe.account_link(
        account_reference=state.reference, refresh_url="http://shop/refresh",
        return_url="http://shop/return",
    )  # fmt: skip

    assert f"/onboarding/{state.reference}" in url
    assert "return_url=http" in url


def test_retrieving_an_account_reads_its_requirements(stripe, stripe_server, lyon_account):
    stripe_server.update_account(lyon_account, past_due=["external_account"])

    state = stripe.retrieve_account(account_reference=lyon_account)

    assert state.payouts_enabled
    assert state.past_due == ["external_account"]


def test_a_transfer_moves_a_share_of_the_charge_to_the_store_account(
    stripe, stripe_server, lyon_account
):
    paid = charge(stripe)

    result = stripe.create_transfer(
        amount_cents=5000, currency="EUR", destination=lyon_account, transfer_group="ARD-0000001",
        source_charge=paid.reference, idempotency_key="transfer:1",
    )  # fmt: skip

    assert result.succeeded
    assert result.reference.startswith("tr_")
    assert result.amount_cents == 5000
    transfer = stripe_server.objects[result.reference]
    assert transfer["source_transaction"].startswith("ch_")
    assert (transfer["destination"], transfer["transfer_group"]) == (lyon_account, "ARD-0000001")


def test_a_transfer_to_an_unknown_account_is_refused(stripe):
    paid = charge(stripe)

    result = stripe.create_transfer(
        amount_cents=5000, currency="EUR", destination="acct_missing", transfer_group="g",
        source_charge=paid.reference, idempotency_key="transfer:x",
    )  # fmt: skip

    assert not result.succeeded
    assert "No such account" in result.failure_message


def test_a_reversal_takes_back_part_of_a_transfer_once_per_key(stripe, stripe_server, lyon_account):
    paid = charge(stripe)
    transfer = stripe.create_transfer(
        amount_cents=5000, currency="EUR", destination=lyon_account, transfer_group="g",
        source_charge=paid.reference, idempotency_key="transfer:1",
    )  # fmt: skip

    for _ in range(2):
        reversed_ = stripe.reverse_transfer(
            transfer_reference=transfer.reference, amount_cents=1200, idempotency_key="rev:1"
        )

    assert reversed_.succeeded
    assert reversed_.reversed_cents == 1200
    assert stripe.retrieve_transfer(transfer_reference=transfer.reference).reversed_cents == 1200
    assert len(stripe_server.objects[transfer.reference]["reversals"]["data"]) == 1


def test_a_payout_is_created_on_the_connected_account(stripe, stripe_server, lyon_account):
    result = stripe.create_payout(
        account_reference=lyon_account, amount_cents=4200, currency="EUR", idempotency_key="po:1"
    )

    assert result.succeeded
    assert result.reference.startswith("po_")
    assert stripe_server.calls[-1].stripe_account == lyon_account
    assert stripe_server.objects[result.reference]["account"] == lyon_account


def test_a_payout_of_an_account_not_enabled_is_refused(stripe, stripe_server):
    state = stripe.create_account(store_slug="lyon-presquile", email="", country="FR")

    result = stripe.create_payout(
        account_reference=state.reference, amount_cents=4200, currency="EUR", idempotency_key="p"
    )

    assert not result.succeeded
    assert "not enabled" in result.failure_message


@pytest.mark.parametrize("status", [429, 500])
def test_transfers_and_payouts_raise_provider_unavailable_when_stripe_cannot_answer(
    stripe, stripe_server, lyon_account, status
):
    paid = charge(stripe)
    stripe_server.fail_next(status, times=2)

    with pytest.raises(ProviderUnavailable):
        stripe.create_transfer(
            amount_cents=100, currency="EUR", destination=lyon_account, transfer_group="g",
            source_charge=paid.reference, idempotency_key="t",
        )  # fmt: skip
    with pytest.raises(ProviderUnavailable):
        stripe.create_payout(
            account_reference=lyon_account, amount_cents=100, currency="EUR", idempotency_key="p"
        )


def test_a_payment_method_stripe_does_not_know_is_a_failed_charge(stripe):
    result = charge(stripe, token="pm_missing")

    assert not result.succeeded
    assert not result.pending
    assert "No such PaymentMethod" in result.failure_message
