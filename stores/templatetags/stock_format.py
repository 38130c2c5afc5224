"""Money and stock formatting for the store back-office: prices are integer cents, rates basis
points."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils import formats

from network_marketplace.money import format_rate

register = template.Library()


def _euros(cents) -> Decimal | None:
    if cents is None or cents == "":
        return None
    return Decimal(int(cents)) / 100


@register.filter
def euros(cents) -> str:
    """1290 → "12,90 €" in French, "12.90 €" in English; None → ""."""
    amount = _euros(cents)
    if amount is None:
        return ""
    return f"{formats.number_format(amount, 2, use_l10n=True)}\u00a0€"


@register.filter
def euros_input(cents) -> str:
    """1290 → "12,90" (French) for a price input's value; None → ""."""
    amount = _euros(cents)
    if amount is None:
        return ""
    return formats.number_format(amount, 2, use_l10n=True, force_grouping=False)


@register.filter
def percent(basis_points) -> str:
    """550 → "5,5 %" in French; None → ""."""
    return format_rate(None if basis_points in (None, "") else int(basis_points))


@register.filter
def signed(number) -> str:
    """A movement's change with its sign: +3, -2, 0."""
    return f"{int(number):+d}" if number else "0"
