"""The payment provider interface, and the dummy provider of the embedded default.

A provider charges and refunds; both calls carry an idempotency key, so a retried call (a worker
that died after the provider answered) never charges or refunds twice. Stripe Connect plugs in
here with the payments issue; until then `PAYMENT_PROVIDER=dummy` is the only one.
"""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DECLINED_TEST_TOKEN = "tok_decline"  # noqa: S105 (a test card token, not a secret)


@dataclass(frozen=True)
class ChargeResult:
    succeeded: bool
    reference: str = ""
    failure_message: str = ""


@dataclass(frozen=True)
class RefundResult:
    succeeded: bool
    reference: str = ""
    failure_message: str = ""


class PaymentProvider(ABC):
    """What checkout and refunds need from a payment provider."""

    name = ""
    # Shown to the customer at checkout when no real money moves.
    is_test_mode = False

    @abstractmethod
    def charge(
        self, *, amount_cents: int, currency: str, token: str, idempotency_key: str,
        description: str,
    ) -> ChargeResult:  # fmt: skip
        """Take `amount_cents`; the same `idempotency_key` twice charges once."""

    @abstractmethod
    def refund(
        self, *, charge_reference: str, amount_cents: int, idempotency_key: str
    ) -> RefundResult:
        """Give back `amount_cents` of a charge; the same key twice refunds once."""


class DummyProvider(PaymentProvider):
    """Accepts every payment but the test token `tok_decline`; no money moves. References are
    derived from the idempotency key, so a repeated call answers the same."""

    name = "dummy"
    is_test_mode = True

    def charge(self, *, amount_cents, currency, token, idempotency_key, description):
        if token == DECLINED_TEST_TOKEN:
            return ChargeResult(False, failure_message="Your card was declined.")
        return ChargeResult(True, reference=f"dummy_ch_{_digest(idempotency_key)}")

    def refund(self, *, charge_reference, amount_cents, idempotency_key):
        return RefundResult(True, reference=f"dummy_re_{_digest(idempotency_key)}")


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:24]


PROVIDERS = {DummyProvider.name: DummyProvider}


def get_provider() -> PaymentProvider:
    try:
        return PROVIDERS[settings.PAYMENT_PROVIDER]()
    except KeyError:
        raise ImproperlyConfigured(
            f"PAYMENT_PROVIDER={settings.PAYMENT_PROVIDER!r}: known providers are "
            f"{', '.join(sorted(PROVIDERS))}."
        ) from None
