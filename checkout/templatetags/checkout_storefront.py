"""The cart count in the storefront's header."""

from __future__ import annotations

from django import template

from checkout.cart_views import current_cart_count

register = template.Library()


@register.simple_tag(takes_context=True)
def cart_count(context: template.Context) -> int:
    """Units in the visitor's cart: the page's own cart summary when it has one (no query),
    else one query (none for a visitor who never filled a cart)."""
    summary = context.get("cart")
    if summary is not None and hasattr(summary, "count"):
        return summary.count
    request = context.get("request")
    if request is None:
        return 0
    return current_cart_count(request)
