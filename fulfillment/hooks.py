"""What fulfillment sets off in payments, the app above it (docs/architecture.md).

A fulfilment's goods leaving the store books the sale; a return refunded gives the customer their
money back and reverses the sellers' shares; a return taken back by another location, or a
store-to-store transfer that ended, settles the money between the stores. Payments owns all of
it, and fulfillment must not import it: these hooks name the calls with their signatures, and
`payments/apps.py` registers the implementations at start-up (network_marketplace/hooks.py).
Each is called inside the transaction of the move that causes it, which holds the fulfilment's
(or return's) row lock and, for a sale, the order's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from network_marketplace.hooks import Hook

if TYPE_CHECKING:  # only names for the signatures: payments/apps.py imports this before models
    from orders.models import Order

    from .models import Fulfilment, Return


class RefundMade(Protocol):
    """The refund payments made: what fulfillment reads of it."""

    amount_cents: int


class RecordSale(Protocol):
    def __call__(self, *, fulfilment: Fulfilment, actor: Any) -> Any:
        """Split and book the sale of the fulfilment's goods (idempotent per fulfilment)."""


class RefundPayment(Protocol):
    def __call__(
        self, *, order: Order, amount_cents: int, reason: str, idempotency_key: str, actor: Any
    ) -> RefundMade | None:
        """Refund up to `amount_cents` of what was paid online for `order` (once per key);
        None when nothing was paid online or nothing is left to refund."""


class ReverseReturnSales(Protocol):
    def __call__(self, *, return_request: Return, refund: Any, actor: Any) -> Any:
        """Take back from the returned units' sale splits what the refund gives back."""


class SettleReturn(Protocol):
    def __call__(self, *, return_request: Return, actor: Any) -> Any:
        """Settle between the seller and the location that took its return back (idempotent)."""


class SettleTransfer(Protocol):
    def __call__(self, *, fulfilment: Fulfilment, actor: Any) -> Any:
        """Settle between the source and the pickup store of a transfer that ended
        (idempotent; nothing for a fulfilment that is no transfer or did not end)."""


class CustomerInvoices(Protocol):
    def __call__(self, *, order: Order) -> list[dict[str, Any]]:
        """The selling stores' invoices and credit notes to the customer for `order`, as the
        order page lists them: {"number", "kind", "label", "issued_at", "total_cents",
        "fulfilment_id", "url"} (the URL downloads the PDF for whoever may follow the order)."""


record_sale: Hook[RecordSale] = Hook("fulfillment.record_sale")
refund_payment: Hook[RefundPayment] = Hook("fulfillment.refund_payment")
reverse_return_sales: Hook[ReverseReturnSales] = Hook("fulfillment.reverse_return_sales")
settle_return: Hook[SettleReturn] = Hook("fulfillment.settle_return")
settle_transfer: Hook[SettleTransfer] = Hook("fulfillment.settle_transfer")
customer_invoices: Hook[CustomerInvoices] = Hook("fulfillment.customer_invoices")
