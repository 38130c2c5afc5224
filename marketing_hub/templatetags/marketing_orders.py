"""Template helpers of the marketing orders' pages: status badges, amounts, a proof's choices."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext

from ..models import MarketingOrder, Proof

register = template.Library()

BADGES = {
    "cart": "",
    "placed": "badge--info",
    "pending": "badge--info",
    "in_review": "badge--warn",
    "approved": "badge--info",
    "in_production": "badge--info",
    "shipped": "badge--warn",
    "received": "badge--ok",
    "cancelled": "",
    "rejected": "badge--danger",
}


@register.filter
def marketing_badge(status: str) -> str:
    """The badge class of a marketing order's or line's status."""
    return BADGES.get(status, "")


@register.filter
def marketing_status_label(status: str) -> str:
    """The label of a marketing order's status code (events store codes)."""
    return str(dict(MarketingOrder.Status.choices).get(status, status))


@register.filter
def marketing_euros(cents: int | None) -> str:
    """Cents as euros, French style (for the admin, which has no `euros` filter loaded)."""
    cents = cents or 0
    return f"{cents / 100:,.2f}\u00a0€".replace(",", "\u202f").replace(".", ",")


@register.simple_tag
def proof_choices(proof: Proof) -> list[tuple[str, str]]:
    """What the store chose for each field of a proof, in HQ's words: the field's label, and
    the text (a product as its SKU, with "reduced price announced" when it is)."""
    labels = dict(proof.artwork.fields.values_list("key", "label"))
    shown = []
    for key, value in proof.values.items():
        if isinstance(value, dict):
            text = str(value.get("sku", ""))
            if value.get("reduced"):
                announced = gettext("reduced price announced")
                text = f"{text} · {announced}"
        else:
            text = str(value)
        shown.append((labels.get(key, key), text))
    return shown
