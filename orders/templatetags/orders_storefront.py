"""The guest tracking link in e-mails, and the product page's offer to have an item sent to a
store that lacks it. (The cart count in the header is checkout's: checkout_storefront.)"""

from __future__ import annotations

from typing import Any

from django import template

from orders import tracking
from orders.methods import FulfilmentMethod
from orders.selectors import transfer_pickup_choices

register = template.Library()


@register.simple_tag
def tracking_url(number: str) -> str:
    """The absolute signed link with which a guest follows their order."""
    return tracking.tracking_url(number) if number else ""


@register.inclusion_tag("storefront/_transfer_offer.html", takes_context=True)
def transfer_offer(context: template.Context, variant: Any, location: Any, offers: Any) -> dict:
    """ "Have it sent to your store": the click & collect stores near the customer without the
    variant, when another location can send it (a store-to-store transfer)."""
    choices = None
    if variant is not None and location is not None:
        stocked = [
            offer.store.pk for offer in offers if offer.store.offers(FulfilmentMethod.CLICK_COLLECT)
        ]
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
