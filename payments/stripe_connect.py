"""The Stripe Connect provider: separate charges and transfers, through the official SDK.

One PaymentIntent per order on HQ's platform account (`transfer_group` = the order's number);
each store has an Express (or Custom) connected account with a manual payout schedule; its
share moves with a Transfer whose `source_transaction` is the order's charge, and back with a
transfer reversal; payouts are created on the connected account (the `Stripe-Account` header).

The SDK never retries (`max_network_retries=0`): our outbox does, with the same idempotency
key. A refusal (a declined card) is a result with `succeeded=False`; a provider that cannot
answer (rate limit, network, 5xx) raises `ProviderUnavailable`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

import stripe
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .providers import (
    DECLINED_TEST_TOKEN,
    DELAYED_TEST_TOKEN,
    AccountState,
    ChargeResult,
    PaymentProvider,
    PayoutResult,
    ProviderUnavailable,
    RefundResult,
    TransferResult,
)

logger = logging.getLogger(__name__)

DEFAULT_API_BASE = "https://api.stripe.com"
DEFAULT_CONNECT_BASE = "https://connect.stripe.com"
# Seconds before a call is given up (and retried later by the outbox).
TIMEOUT_SECONDS = 20
# PaymentIntent states still waiting for the customer or the bank.
PENDING_INTENT_STATUSES = {"processing", "requires_action", "requires_confirmation"}


@contextmanager
def _stripe_errors() -> Iterator[None]:
    """Stripe's transient failures become ProviderUnavailable; the rest propagate."""
    try:
        yield
    except (stripe.RateLimitError, stripe.APIConnectionError) as error:
        raise ProviderUnavailable(str(error.user_message or error)) from error
    except stripe.StripeError as error:
        if isinstance(error, stripe.APIError) or (error.http_status or 0) >= 500:
            raise ProviderUnavailable(str(error.user_message or error)) from error
        raise


def _plain(obj: Any) -> dict[str, Any]:
    """A Stripe object as plain dicts and lists (StripeObject is not a dict)."""
    return obj.to_dict() if hasattr(obj, "to_dict") else dict(obj or {})


def _error_message(error: stripe.StripeError) -> str:
    return str(error.user_message or getattr(error, "_message", "") or error)[:300]


def client_from_settings() -> stripe.StripeClient:
    if not settings.STRIPE_SECRET_KEY:
        raise ImproperlyConfigured("PAYMENT_PROVIDER=stripe_connect needs STRIPE_SECRET_KEY.")
    base = (settings.STRIPE_API_BASE or DEFAULT_API_BASE).rstrip("/")
    connect = (
        settings.STRIPE_API_BASE.rstrip("/") if settings.STRIPE_API_BASE else DEFAULT_CONNECT_BASE
    )
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses={"api": base, "connect": connect},
        max_network_retries=0,
        http_client=stripe.RequestsClient(timeout=TIMEOUT_SECONDS),
    )


def account_state(account: Any) -> AccountState:
    """Our view of a Stripe Account object (an API answer or an `account.updated` event)."""
    account = _plain(account)
    requirements = account.get("requirements") or {}
    return AccountState(
        reference=account["id"],
        charges_enabled=bool(account.get("charges_enabled")),
        payouts_enabled=bool(account.get("payouts_enabled")),
        details_submitted=bool(account.get("details_submitted")),
        currently_due=list(requirements.get("currently_due") or []),
        past_due=list(requirements.get("past_due") or []),
        disabled_reason=requirements.get("disabled_reason") or "",
    )


def charge_result(intent: Any) -> ChargeResult:
    """Our view of a PaymentIntent (expanded `latest_charge.balance_transaction` for the fee)."""
    intent = _plain(intent)
    status = intent.get("status")
    charge = intent.get("latest_charge")
    fee = refunded = 0
    if isinstance(charge, dict):
        refunded = int(charge.get("amount_refunded") or 0)
        balance = charge.get("balance_transaction")
        if isinstance(balance, dict):
            fee = int(balance.get("fee") or 0)
    if status == "succeeded":
        return ChargeResult(
            True,
            reference=intent["id"],
            fee_cents=fee,
            amount_cents=int(intent.get("amount_received") or intent.get("amount") or 0),
            refunded_cents=refunded,
        )
    if status in PENDING_INTENT_STATUSES:
        return ChargeResult(
            False, reference=intent["id"], pending=True, amount_cents=int(intent.get("amount", 0))
        )
    error = intent.get("last_payment_error") or {}
    return ChargeResult(
        False,
        reference=intent["id"],
        failure_message=(error.get("message") or f"Payment {status}.")[:300],
        amount_cents=int(intent.get("amount", 0)),
    )


# In test mode, our demo tokens become Stripe's own test payment methods.
STRIPE_TEST_TOKENS = {
    DECLINED_TEST_TOKEN: "tok_chargeDeclined",
    DELAYED_TEST_TOKEN: "pm_card_threeDSecure2Required",
}


def _payment_method(token: str) -> dict:
    """A PaymentMethod id (`pm_…`) is used as it is; a card token (`tok_…`) becomes one."""
    if token.startswith("pm_"):
        return {"payment_method": token}
    return {"payment_method_data": {"type": "card", "card": {"token": token}}}


class StripeConnectProvider(PaymentProvider):
    name = "stripe_connect"

    def __init__(self, client: stripe.StripeClient | None = None):
        self.client = client or client_from_settings()
        self.is_test_mode = settings.STRIPE_SECRET_KEY.startswith("sk_test_")
        self.account_type = settings.STRIPE_ACCOUNT_TYPE

    # Charges ----------------------------------------------------------------------------------

    def charge(
        self,
        *,
        amount_cents: int,
        currency: str,
        token: str,
        idempotency_key: str,
        description: str,
        transfer_group: str = "",
    ) -> ChargeResult:
        # Plain dicts: the SDK's TypedDicts would spell out what its own API reference does.
        params: dict[str, Any] = {
            "amount": amount_cents,
            "currency": currency.lower(),
            "confirm": True,
            "payment_method_types": ["card"],
            "description": description,
            "metadata": {"idempotency_key": idempotency_key},
            "expand": ["latest_charge.balance_transaction"],
            **_payment_method(STRIPE_TEST_TOKENS.get(token, token) if self.is_test_mode else token),
        }
        if transfer_group:
            params["transfer_group"] = transfer_group
        try:
            with _stripe_errors():
                intent = self.client.v1.payment_intents.create(
                    params=cast(Any, params), options={"idempotency_key": idempotency_key}
                )
        except stripe.CardError as error:
            declined = _plain(getattr(error.error, "payment_intent", None) if error.error else None)
            return ChargeResult(
                False, reference=declined.get("id", ""), failure_message=_error_message(error)
            )
        except stripe.InvalidRequestError as error:
            # A token Stripe does not know or refuses: this payment cannot go through.
            return ChargeResult(False, failure_message=_error_message(error))
        return charge_result(intent)

    def retrieve_charge(self, *, charge_reference: str) -> ChargeResult:
        with _stripe_errors():
            intent = self.client.v1.payment_intents.retrieve(
                charge_reference, params={"expand": ["latest_charge.balance_transaction"]}
            )
        return charge_result(intent)

    def refund(
        self, *, charge_reference: str, amount_cents: int, idempotency_key: str
    ) -> RefundResult:
        try:
            with _stripe_errors():
                refund = self.client.v1.refunds.create(
                    params=cast(Any, {**_charge_param(charge_reference), "amount": amount_cents}),
                    options={"idempotency_key": idempotency_key},
                )
        except stripe.InvalidRequestError as error:
            return RefundResult(False, failure_message=_error_message(error))
        return _refund_result(refund)

    def retrieve_refund(self, *, refund_reference: str) -> RefundResult:
        with _stripe_errors():
            refund = self.client.v1.refunds.retrieve(refund_reference)
        return _refund_result(refund)

    # Connected accounts -----------------------------------------------------------------------

    def create_account(self, *, store_slug: str, email: str, country: str) -> AccountState:
        params: dict[str, Any] = {
            "type": self.account_type,
            "country": country or "FR",
            "metadata": {"store": store_slug},
            "capabilities": {"transfers": {"requested": True}},
            "settings": {"payouts": {"schedule": {"interval": "manual"}}},
        }
        if email:
            params["email"] = email
        with _stripe_errors():
            account = self.client.v1.accounts.create(
                params=cast(Any, params), options={"idempotency_key": f"account:{store_slug}"}
            )
        return account_state(account)

    def account_link(self, *, account_reference: str, refresh_url: str, return_url: str) -> str:
        with _stripe_errors():
            link = self.client.v1.account_links.create(
                params={
                    "account": account_reference,
                    "refresh_url": refresh_url,
                    "return_url": return_url,
                    "type": "account_onboarding",
                }
            )
        return link["url"]

    def retrieve_account(self, *, account_reference: str) -> AccountState:
        with _stripe_errors():
            account = self.client.v1.accounts.retrieve(account_reference)
        return account_state(account)

    # Transfers and payouts --------------------------------------------------------------------

    def create_transfer(
        self,
        *,
        amount_cents: int,
        currency: str,
        destination: str,
        transfer_group: str,
        source_charge: str,
        idempotency_key: str,
    ) -> TransferResult:
        params: dict[str, Any] = {
            "amount": amount_cents,
            "currency": currency.lower(),
            "destination": destination,
            "transfer_group": transfer_group,
        }
        try:
            with _stripe_errors():
                if source_charge:
                    params["source_transaction"] = self._charge_id(source_charge)
                transfer = self.client.v1.transfers.create(
                    params=cast(Any, params), options={"idempotency_key": idempotency_key}
                )
        except stripe.InvalidRequestError as error:
            return TransferResult(False, failure_message=_error_message(error))
        return _transfer_result(transfer)

    def reverse_transfer(
        self, *, transfer_reference: str, amount_cents: int, idempotency_key: str
    ) -> TransferResult:
        try:
            with _stripe_errors():
                self.client.v1.transfers.reversals.create(
                    transfer_reference,
                    params={"amount": amount_cents},
                    options={"idempotency_key": idempotency_key},
                )
                transfer = self.client.v1.transfers.retrieve(transfer_reference)
        except stripe.InvalidRequestError as error:
            return TransferResult(False, failure_message=_error_message(error))
        return _transfer_result(transfer)

    def retrieve_transfer(self, *, transfer_reference: str) -> TransferResult:
        with _stripe_errors():
            transfer = self.client.v1.transfers.retrieve(transfer_reference)
        return _transfer_result(transfer)

    def create_payout(
        self, *, account_reference: str, amount_cents: int, currency: str, idempotency_key: str
    ) -> PayoutResult:
        try:
            with _stripe_errors():
                payout = self.client.v1.payouts.create(
                    params={"amount": amount_cents, "currency": currency.lower()},
                    options={
                        "idempotency_key": idempotency_key,
                        "stripe_account": account_reference,
                    },
                )
        except stripe.InvalidRequestError as error:
            return PayoutResult(False, failure_message=_error_message(error))
        made = _plain(payout)
        return PayoutResult(
            made.get("status") != "failed",
            reference=made["id"],
            failure_message=made.get("failure_message") or "",
        )

    def _charge_id(self, reference: str) -> str:
        """A transfer's `source_transaction` is a Charge (`ch_…`); we keep the PaymentIntent."""
        if not reference.startswith("pi_"):
            return reference
        charge = _plain(self.client.v1.payment_intents.retrieve(reference)).get("latest_charge")
        return str(charge["id"] if isinstance(charge, dict) else charge)


def _charge_param(reference: str) -> dict[str, str]:
    return {"payment_intent" if reference.startswith("pi_") else "charge": reference}


def _refund_result(refund: Any) -> RefundResult:
    refund = _plain(refund)
    status = refund.get("status")
    return RefundResult(
        status in {"succeeded", "pending"},
        reference=refund["id"],
        failure_message=(refund.get("failure_reason") or "") if status == "failed" else "",
        amount_cents=int(refund.get("amount") or 0),
    )


def _transfer_result(transfer: Any) -> TransferResult:
    transfer = _plain(transfer)
    return TransferResult(
        True,
        reference=transfer["id"],
        amount_cents=int(transfer.get("amount") or 0),
        reversed_cents=int(transfer.get("amount_reversed") or 0),
    )
