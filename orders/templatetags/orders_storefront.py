"""The cart count in the storefront's header, the guest tracking link in e-mails, and the
product page's offer to have an item sent to a store that lacks it."""

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


@register.inclusion_tag("storefront/_transfer_offer.html", takes_context=True)
def transfer_offer(context, variant, location, offers):
    """ "Have it sent to your store": the click & collect stores near the customer without the
    variant, when another location can send it (a store-to-store transfer)."""
    from orders.selectors import transfer_pickup_choices

    choices = None
    if variant is not None and location is not None:
        stocked = [offer.store.pk for offer in offers if offer.store.offers_click_collect]
        choices = transfer_pickup_choices(
            variant_id=variant.pk,
            latitude=location.latitude,
            longitude=location.longitude,
            exclude_store_ids=stocked,
        )
    return {
        "choices": choices,
        "variant": variant,
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
    }
