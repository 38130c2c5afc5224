"""The ledger entries of every money event, and the transfers they cause, one module per topic.

Each function is called (as one line) by the service where the event happens, inside that
service's transaction, so the entry commits with the business change or not at all; provider
calls (transfers, their reversals) are outbox messages written in the same transaction and sent
after commit. Entries are booked once per reference (payments/ledger.py): calling any of these
twice books once. The booking conventions are in payments/ledger.py's docstring; the split and
its rounding rule in payments/commission.py.

captures.py   the charge captured, the provider's fee, a refund sent back (BQ)
sales.py      the sale's split when the goods leave (VT) and the transfers it queues
returns.py    a refund of what was sold reversing the splits (VT) and their transfers
transfers.py  the outbox handlers that make and reverse transfers at the provider (BQ)
settlements.py money between stores: a return taken back elsewhere, a transfer that ended (OD)
marketing.py  the marketing hub's charges to a store (VT), HQ's co-funding (OD), their credits
"""

from .captures import (
    book_capture,
    book_provider_fee,
    book_refund_sent,
    paid_payment,
    provider_fee_cents,
)
from .marketing import book_marketing_charge, book_marketing_cofunding, reverse_marketing_entry
from .returns import reverse_return_sales, reverse_sales
from .sales import (
    RESERVE_COLLECT,
    flipped,
    order_terms,
    record_sale,
    sale_postings,
    split_totals,
)
from .settlements import settle_return, settle_transfer
from .transfers import (
    SYSTEM,
    TRANSFER_KIND,
    TRANSFER_REVERSAL_KIND,
    mark_transfer_refused,
    send_transfer,
    send_transfer_reversal,
)

__all__ = [
    "RESERVE_COLLECT",
    "SYSTEM",
    "TRANSFER_KIND",
    "TRANSFER_REVERSAL_KIND",
    "book_capture",
    "book_marketing_charge",
    "book_marketing_cofunding",
    "book_provider_fee",
    "book_refund_sent",
    "flipped",
    "mark_transfer_refused",
    "order_terms",
    "paid_payment",
    "provider_fee_cents",
    "record_sale",
    "reverse_marketing_entry",
    "reverse_return_sales",
    "reverse_sales",
    "sale_postings",
    "send_transfer",
    "send_transfer_reversal",
    "settle_return",
    "settle_transfer",
    "split_totals",
]
