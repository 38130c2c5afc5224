"""A store's special days as the stores app reads them (registered on stores.hooks in
marketing_hub/apps.py): the deadlines to accept orders and the pickup slots count them."""

from __future__ import annotations

from datetime import date

from stores.models import Store
from stores.opening_hours import SpecialDays, TimeRange

from ..models import SpecialHours


def special_days_of(*, store: Store, start: date, end: date) -> SpecialDays:
    """{day: (its one range,)} for an exceptional opening, {day: ()} for a closure. One query."""
    found: dict[date, tuple[TimeRange, ...]] = {}
    for row in SpecialHours.objects.filter(store=store, day__range=(start, end)):
        if row.closed:
            found[row.day] = ()
        elif row.opens is not None and row.closes is not None:
            found[row.day] = (TimeRange(row.opens, row.closes),)
    return found
