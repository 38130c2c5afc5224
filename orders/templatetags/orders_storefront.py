"""The cart count in the storefront's header and the guest tracking link in e-mails."""

from __future__ import annotations

from django import template

from orders import tracking

register = template.Library()


@register.simple_tag(takes_context=True)
def cart_count(context) -> int:
    """Units in the visitor's cart: the page's own cart summary when it has one (no query),
    else one query (none for a visitor who never filled a cart)."""
    summary = context.get("cart")
    if summary is not None and hasattr(summary, "count"):
        return summary.count
    request = context.get("request")
    if request is None:
        return 0
    from orders.storefront_views import current_cart_count

    return current_cart_count(request)


@register.simple_tag
def tracking_url(number: str) -> str:
    """The absolute signed link with which a guest follows their order."""
    return tracking.tracking_url(number) if number else ""
