"""Template helpers of the marketing orders' pages: status badges."""

from __future__ import annotations

from django import template

from ..models import MarketingOrder

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
