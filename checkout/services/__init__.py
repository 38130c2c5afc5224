"""The checkout's writes, by topic: `carts` (the customer's cart), `placing` (place_order: route,
hold, write, pay), `confirming` (place or give up an order once its payment is known, and the
sweeper). Other apps and tests import from here."""

from orders.models import MAX_LINE_QUANTITY
from orders.services import CustomerDetails

from ..errors import CartInvalid, CheckoutInvalid, NoLongerAvailable
from .carts import (
    add_to_cart,
    clear_cart,
    delete_stale_guest_carts,
    get_or_create_cart,
    join_guest_cart,
    merge_carts,
    remove_cart_line,
    update_cart_line,
)
from .confirming import (
    abandon_checkout,
    confirm_order,
    details_in_hand,
    finish_order_payment,
    settle_abandoned_checkouts,
)
from .placing import SERVED_KINDS, CheckoutLine, place_order, route_lines

__all__ = [
    "MAX_LINE_QUANTITY",
    "SERVED_KINDS",
    "CartInvalid",
    "CheckoutInvalid",
    "CheckoutLine",
    "CustomerDetails",
    "NoLongerAvailable",
    "abandon_checkout",
    "add_to_cart",
    "clear_cart",
    "confirm_order",
    "delete_stale_guest_carts",
    "details_in_hand",
    "finish_order_payment",
    "get_or_create_cart",
    "join_guest_cart",
    "merge_carts",
    "place_order",
    "remove_cart_line",
    "route_lines",
    "settle_abandoned_checkouts",
    "update_cart_line",
]
