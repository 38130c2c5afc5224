"""Numbers as HQ reads them on the control tower, in the active language: amounts in euros with
their thousands grouped ("12 345,60 €" in French), counts grouped, rates in per cent, waiting
times in hours and minutes. Storage stays integer cents."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _


def money(cents: int | None) -> str:
    amount = Decimal(int(cents or 0)) / 100
    return f"{formats.number_format(amount, 2, use_l10n=True, force_grouping=True)}\u00a0€"


def whole_euros(cents: int | None) -> str:
    """Rounded to the euro, for the charts' scales."""
    amount = round(Decimal(int(cents or 0)) / 100)
    return f"{formats.number_format(amount, 0, use_l10n=True, force_grouping=True)}\u00a0€"


def count(number: int | None) -> str:
    return formats.number_format(int(number or 0), 0, use_l10n=True, force_grouping=True)


def percent(rate: float | None) -> str:
    """0.875 → "87,5 %"; None (nothing to divide) → "—"."""
    if rate is None:
        return "—"
    value = formats.number_format(round(Decimal(rate * 100), 1), 1, use_l10n=True)
    return f"{value}\u00a0%"


def duration(value: timedelta | None) -> str:
    """A waiting time: "42 min", "2 h 05 min", "3 d 4 h"; None → "—"."""
    if value is None:
        return "—"
    minutes = round(value.total_seconds() / 60)
    if minutes < 60:
        return _("%(minutes)d min") % {"minutes": minutes}
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return _("%(hours)d h %(minutes)02d min") % {"hours": hours, "minutes": minutes}
    days, hours = divmod(hours, 24)
    return _("%(days)d d %(hours)d h") % {"days": days, "hours": hours}
