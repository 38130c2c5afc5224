"""`{% seller_identity store %}`: the seller's identity next to an offer, as DSA art. 30(7)
asks (name, address, phone, e-mail, registration number, self-certification). The storefront's
templates load it; the store pages' views know nothing of compliance."""

from __future__ import annotations

from django import template
from django.conf import settings

from ..models import TraderCertification
from ..services.traders import is_trader

register = template.Library()


CERTIFIED_KEY = "compliance.certified_store_ids"


def _certified_ids(store_ids: list[int]) -> set[int]:
    return set(
        TraderCertification.objects.filter(
            store_id__in=store_ids, text_version=settings.TRADER_CERTIFICATION_VERSION
        ).values_list("store_id", flat=True)
    )


@register.inclusion_tag("compliance/_seller_identity.html", takes_context=True)
def seller_identity(context, store) -> dict:
    """One query for the whole page: the first call reads which of the page's `offers`' stores
    certified, the next ones reuse it."""
    known = context.render_context.get(CERTIFIED_KEY)
    if known is None or store.pk not in known[0]:
        page_stores = [offer.store.pk for offer in context.get("offers") or ()]
        store_ids = sorted({store.pk, *page_stores})
        known = (set(store_ids), _certified_ids(store_ids))
        context.render_context[CERTIFIED_KEY] = known
    certified = is_trader(store) and store.pk in known[1]
    return {"store": store, "is_trader": is_trader(store), "certified": certified}


@register.inclusion_tag("compliance/_operator_identity.html", takes_context=True)
def operator_identity(context) -> dict:
    return {"operator": settings.NETWORK_OPERATOR, "network_name": settings.NETWORK_NAME}
