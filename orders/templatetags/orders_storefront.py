"""The guest tracking link in e-mails. (The cart count in the header is checkout's:
checkout_storefront; the product page's transfer offer comes from its view, through
stores.hooks.transfer_pickup_offer.)"""

from __future__ import annotations

from django import template

from orders import tracking

register = template.Library()


@register.simple_tag
def tracking_url(number: str) -> str:
    """The absolute signed link with which a guest follows their order."""
    return tracking.tracking_url(number) if number else ""
