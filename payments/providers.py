"""The payment provider interface, and the dummy provider of the embedded default.

The marketplace never holds the customer's money: the provider does. The model is Stripe
Connect's "separate charges and transfers": the customer pays HQ's platform account once per
order (`charge`, grouped by the order's `transfer_group`); each store has a connected account
(`create_account`, onboarding through `account_link`); a store's share moves to its account with
`create_transfer` when its fulfilment completes, and back with `reverse_transfer` on a refund;
`create_payout` sends a connected account's balance to the store's bank.

Every call that creates something carries an idempotency key derived from our own records, so
a retried call (a worker that died after the provider answered) never moves money twice.
Amounts are integer cents. A provider that cannot be reached raises `ProviderUnavailable`
(the caller retries later); a refusal is a result with `succeeded=False`.
"""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DECLINED_TEST_TOKEN = "tok_decline"  # noqa: S105 (a test card token, not a secret)
# A payment the bank confirms later (3-D Secure, a slow bank): pending at checkout, confirmed
# when the provider is asked again (the webhook or the sweeper).
DELAYED_TEST_TOKEN = "tok_delayed"  # noqa: S105


class ProviderUnavailable(Exception):
    """The provider did not answer (network, timeout, 5xx, rate limit): try again later."""


@dataclass(frozen=True)
class ChargeResult:
    succeeded: bool
    reference: str = ""
    failure_message: str = ""
    # The provider's processing fee for this charge, once known (0 when it does not say).
    fee_cents: int = 0
    amount_cents: int = 0
    refunded_cents: int = 0
    # "pending" while the provider has not decided (3-D Secure, a slow bank): ask again later.
    pending: bool = False


@dataclass(frozen=True)
class RefundResult:
    succeeded: bool
    reference: str = ""
    failure_message: str = ""
    amount_cents: int = 0


@dataclass(frozen=True)
class TransferResult:
    succeeded: bool
    reference: str = ""
    failure_message: str = ""
    # What the provider holds for the transfer (read back by the reconciliation).
    amount_cents: int = 0
    reversed_cents: int = 0


@dataclass(frozen=True)
class PayoutResult:
    succeeded: bool
    reference: str = ""
    failure_message: str = ""


@dataclass(frozen=True)
class AccountState:
    """What the provider says of a connected account (Stripe's `account.updated`)."""

    reference: str
    charges_enabled: bool = False
    payouts_enabled: bool = False
    details_submitted: bool = False
    # Requirement names the provider wants now, and those already past their deadline.
    currently_due: list[str] = field(default_factory=list)
    past_due: list[str] = field(default_factory=list)
    disabled_reason: str = ""


class PaymentProvider(ABC):
    """What checkout, transfers, refunds and payouts need from a payment provider."""

    name = ""
    # Shown to the customer at checkout when no real money moves.
    is_test_mode = False
    # Whether retrieve_* read back real records (the reconciliation compares with them).
    keeps_records = True

    @abstractmethod
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
        """Take `amount_cents` on HQ's platform account; the same key twice charges once."""

    @abstractmethod
    def retrieve_charge(self, *, charge_reference: str) -> ChargeResult:
        """The outcome of an earlier charge (a checkout whose process died mid-payment)."""

    @abstractmethod
    def refund(
        self, *, charge_reference: str, amount_cents: int, idempotency_key: str
    ) -> RefundResult:
        """Give back `amount_cents` of a charge; the same key twice refunds once."""

    @abstractmethod
    def create_account(self, *, store_slug: str, email: str, country: str) -> AccountState:
        """Open a connected account for a store (payouts on a manual schedule: ours)."""

    @abstractmethod
    def account_link(self, *, account_reference: str, refresh_url: str, return_url: str) -> str:
        """The URL where the store's owner completes the provider's onboarding (KYC)."""

    @abstractmethod
    def retrieve_account(self, *, account_reference: str) -> AccountState:
        """The connected account's current state."""

    @abstractmethod
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
        """Move a store's share of a charge to its connected account `destination`."""

    @abstractmethod
    def reverse_transfer(
        self, *, transfer_reference: str, amount_cents: int, idempotency_key: str
    ) -> TransferResult:
        """Take back `amount_cents` of a transfer (a refund of that store's sale)."""

    @abstractmethod
    def retrieve_transfer(self, *, transfer_reference: str) -> TransferResult:
        """A transfer as the provider records it (amount, reversed so far)."""

    @abstractmethod
    def retrieve_refund(self, *, refund_reference: str) -> RefundResult:
        """A refund as the provider records it."""

    @abstractmethod
    def create_payout(
        self, *, account_reference: str, amount_cents: int, currency: str, idempotency_key: str
    ) -> PayoutResult:
        """Send `amount_cents` of a connected account's balance to the store's bank."""


class DummyProvider(PaymentProvider):
    """Accepts every payment but the test token `tok_decline`; `tok_delayed` is pending, then
    confirmed on the next `retrieve_charge`. No money moves. References are derived from the
    idempotency key, so a repeated call answers the same. Its fee is Stripe's European card
    rate (1.5 % + 0.25 €), so that the demo's money pages look real."""

    name = "dummy"
    is_test_mode = True
    keeps_records = False

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
        if token == DECLINED_TEST_TOKEN:
            return ChargeResult(False, failure_message="Your card was declined.")
        if token == DELAYED_TEST_TOKEN:
            # The amount rides in the reference: the dummy keeps no records to read it back.
            return ChargeResult(
                False,
                pending=True,
                amount_cents=amount_cents,
                reference=f"{DUMMY_PENDING_PREFIX}{_digest(idempotency_key)}_{amount_cents}",
            )
        return ChargeResult(
            True,
            reference=f"dummy_ch_{_digest(idempotency_key)}",
            fee_cents=dummy_fee(amount_cents),
        )

    def retrieve_charge(self, *, charge_reference: str) -> ChargeResult:
        if charge_reference.startswith(DUMMY_PENDING_PREFIX):
            amount = int(charge_reference.rsplit("_", 1)[1])
            return ChargeResult(
                True, reference=charge_reference, amount_cents=amount, fee_cents=dummy_fee(amount)
            )
        # The dummy answers synchronously: a charge it never answered was never made.
        return ChargeResult(False, reference=charge_reference, failure_message="Unknown charge.")

    def refund(
        self, *, charge_reference: str, amount_cents: int, idempotency_key: str
    ) -> RefundResult:
        return RefundResult(True, reference=f"dummy_re_{_digest(idempotency_key)}")

    def create_account(self, *, store_slug: str, email: str, country: str) -> AccountState:
        return AccountState(
            reference=f"dummy_acct_{store_slug}"[:60],
            charges_enabled=True,
            payouts_enabled=True,
            details_submitted=True,
        )

    def account_link(self, *, account_reference: str, refresh_url: str, return_url: str) -> str:
        return return_url

    def retrieve_account(self, *, account_reference: str) -> AccountState:
        return AccountState(
            reference=account_reference,
            charges_enabled=True,
            payouts_enabled=True,
            details_submitted=True,
        )

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
        return TransferResult(True, reference=f"dummy_tr_{_digest(idempotency_key)}")

    def reverse_transfer(
        self, *, transfer_reference: str, amount_cents: int, idempotency_key: str
    ) -> TransferResult:
        return TransferResult(True, reference=f"dummy_trr_{_digest(idempotency_key)}")

    def retrieve_transfer(self, *, transfer_reference: str) -> TransferResult:
        return TransferResult(False, reference=transfer_reference, failure_message="No records.")

    def retrieve_refund(self, *, refund_reference: str) -> RefundResult:
        return RefundResult(False, reference=refund_reference, failure_message="No records.")

    def create_payout(
        self, *, account_reference: str, amount_cents: int, currency: str, idempotency_key: str
    ) -> PayoutResult:
        return PayoutResult(True, reference=f"dummy_po_{_digest(idempotency_key)}")


DUMMY_PENDING_PREFIX = "dummy_pi_"


def dummy_fee(amount_cents: int) -> int:
    """1.5 % + 25 cents, rounded half up to the cent."""
    return (amount_cents * 15 + 500) // 1000 + 25


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:24]


PROVIDERS: dict[str, type[PaymentProvider]] = {DummyProvider.name: DummyProvider}


def _register_stripe_connect() -> None:
    from .stripe_connect import StripeConnectProvider

    PROVIDERS[StripeConnectProvider.name] = StripeConnectProvider


_register_stripe_connect()


def get_provider() -> PaymentProvider:
    try:
        return PROVIDERS[settings.PAYMENT_PROVIDER]()
    except KeyError:
        raise ImproperlyConfigured(
            f"PAYMENT_PROVIDER={settings.PAYMENT_PROVIDER!r}: known providers are "
            f"{', '.join(sorted(PROVIDERS))}."
        ) from None
