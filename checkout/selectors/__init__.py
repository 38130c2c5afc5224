"""The checkout's reads, by topic: `preview` (a basket priced and routed, nothing written),
`carts` (the cart as the storefront shows it), `promises` (when each part will be ready)."""

from .carts import (
    CartGroup,
    CartItem,
    CartSummary,
    cart_count,
    cart_summary,
    customer_cart_count,
    guest_cart_count,
)
from .preview import (
    UNAVAILABLE_BY_TRANSFER,
    CheckoutPreview,
    PreviewLine,
    preview_checkout,
    transfer_promise,
)
from .promises import MAX_SLOTS, Promise, promise_for

__all__ = [
    "MAX_SLOTS",
    "UNAVAILABLE_BY_TRANSFER",
    "CartGroup",
    "CartItem",
    "CartSummary",
    "CheckoutPreview",
    "PreviewLine",
    "Promise",
    "cart_count",
    "cart_summary",
    "customer_cart_count",
    "guest_cart_count",
    "preview_checkout",
    "promise_for",
    "transfer_promise",
]
