"""What orders asks of the apps above it (payments), as typed hooks they register at start-up.

orders sits below fulfillment and payments (docs/architecture.md): it names the call here, and
`payments.apps.PaymentsConfig.ready()` registers `payments.services.refund_payment`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from network_marketplace.hooks import Hook

if TYPE_CHECKING:
    from .models import Order


class RefundOrder(Protocol):
    def __call__(
        self, *, order: Order, amount_cents: int, reason: str, idempotency_key: str, actor: Any
    ) -> Any:
        """Give back up to `amount_cents` of what was paid online for `order`, inside the
        caller's transaction; the same `idempotency_key` refunds once. Returns the Refund, or
        None when nothing is left to refund."""
        ...


# Cancelled units of an order are refunded (orders.services.cancel_order_lines).
refund_order: Hook[RefundOrder] = Hook("orders.refund_order")


class RecordMarketingChoices(Protocol):
    def __call__(
        self, *, order: Order, refuse_store_offers: bool, network_offers: bool, actor: Any
    ) -> Any:
        """Record what the checkout's marketing boxes said for `order`'s customer: the
        selling stores' soft opt-in unless she objected, the network's offers if she asked."""
        ...


# The checkout (above orders, beside compliance) hands the customer's marketing choices to the
# consent ledger: compliance.services.consents.record_checkout_choices.
record_marketing_choices: Hook[RecordMarketingChoices] = Hook("orders.record_marketing_choices")
