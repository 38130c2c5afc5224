"""`{% seller_identity store %}`: the seller's identity next to an offer, as DSA art. 30(7)
asks (name, address, phone, e-mail, registration number, self-certification). The storefront's
templates load it; the store pages' views know nothing of compliance."""

from __future__ import annotations

from django import template
from django.conf import settings

from ..models import TraderCertification
from ..services.traders import is_trader

register = template.Library()


@register.inclusion_tag("compliance/_seller_identity.html")
def seller_identity(store) -> dict:
    certified = (
        is_trader(store)
        and TraderCertification.objects.filter(
            store=store, text_version=settings.TRADER_CERTIFICATION_VERSION
        ).exists()
    )
    return {"store": store, "is_trader": is_trader(store), "certified": certified}


@register.inclusion_tag("compliance/_operator_identity.html", takes_context=True)
def operator_identity(context) -> dict:
    return {"operator": settings.NETWORK_OPERATOR, "network_name": settings.NETWORK_NAME}
