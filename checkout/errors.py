"""Why a checkout did not place an order: the storefront, the API and the endless aisle turn
these into a message, a 400 or a 409."""

from __future__ import annotations

from network_marketplace.errors import DomainError


class NoLongerAvailable(DomainError):
    """Some items can no longer be served: nothing was ordered."""

    code = "no_longer_available"
    http_status = 409


class CheckoutInvalid(DomainError):
    """The checkout is incomplete."""

    code = "checkout_invalid"
    http_status = 400


class CartInvalid(DomainError):
    """This cannot go in the cart as asked."""

    code = "cart_invalid"
    http_status = 400
