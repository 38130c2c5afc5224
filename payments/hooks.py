"""What payments asks of the apps above it, as typed hooks they register at start-up.

A payment the provider settles later (its webhook, the checkout sweeper, the customer's "check
again") must place or cancel its order: that is the checkout's work, above payments
(`checkout.apps.CheckoutConfig.ready()` registers `checkout.services.finish_order_payment`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from network_marketplace.hooks import Hook

if TYPE_CHECKING:
    from .models import Payment


class OrderPaymentSettled(Protocol):
    def __call__(self, *, payment: Payment, actor: Any) -> None:
        """Bring the payment's order in line with it: paid, placed (or refunded when it can't
        be); declined, cancelled. Idempotent."""
        ...


order_payment_settled: Hook[OrderPaymentSettled] = Hook("payments.order_payment_settled")
