"""A store's special days as the stores app reads them (registered on stores.hooks in
marketing_hub/apps.py): the deadlines to accept orders and the pickup slots count them."""

from __future__ import annotations

from datetime import date

from stores.models import Store
from stores.opening_hours import SpecialDays, TimeRange

from ..models import SpecialHours


def special_days_of(*, store: Store, start: date, end: date) -> SpecialDays:
    """{day: (its one range,)} for an exceptional opening, {day: ()} for a closure. One query."""
    rows = SpecialHours.objects.filter(store=store, day__range=(start, end))
    return {
        row.day: () if row.closed else (TimeRange(row.opens, row.closes),)
        for row in rows
        if row.closed or (row.opens and row.closes)
    }
