"""A store's opening time ahead, special days included: when an amount of it will have passed
(the deadline to accept an order, the promise to the customer) and its pickup slots; and its
special days themselves (closures, holiday hours: `StoreSpecialDay`), as the store page, its
structured data and its Google Business Profile listing show them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from ..models import Store, StoreSpecialDay
from ..opening_hours import (
    STORE_TIME_ZONE,
    SpecialDays,
    TimeRange,
    after_opening_time,
    pickup_slots,
)

# How far ahead opening time is sought (opening_hours.after_opening_time looks 14 days ahead).
HORIZON_DAYS = 15


def special_days_from(rows: Iterable[StoreSpecialDay]) -> SpecialDays:
    """Special day rows as opening_hours reads them: {day: (its range,)} for other hours,
    {day: ()} for a closure."""
    found: dict[date, tuple[TimeRange, ...]] = {}
    for row in rows:
        if row.closed:
            found[row.day] = ()
        elif row.opens is not None and row.closes is not None:
            found[row.day] = (TimeRange(row.opens, row.closes),)
    return found


def special_days_between(*, store: Store, start: date, end: date) -> SpecialDays:
    """`store`'s special days from `start` to `end` (both included). One query, of the four
    columns read (every checkout reads them for its acceptance deadline), in no order: each
    day is one row."""
    rows = (
        StoreSpecialDay.objects.filter(store=store, day__range=(start, end))
        .order_by()
        .only("day", "closed", "opens", "closes")
    )
    return special_days_from(rows)


def special_days(*, store: Store, start: datetime, days: int = HORIZON_DAYS) -> SpecialDays:
    """`store`'s special days from the local day of `start`, `days` days ahead. One query."""
    first = timezone.localtime(start, STORE_TIME_ZONE).date() - timedelta(days=1)
    return special_days_between(store=store, start=first, end=first + timedelta(days=days + 1))


def upcoming_special_days(*, store: Store, today: date | None = None) -> QuerySet[StoreSpecialDay]:
    """`store`'s special days from today on (past ones are history), in date order."""
    today = today or timezone.localdate(timezone=STORE_TIME_ZONE)
    return StoreSpecialDay.objects.filter(store=store, day__gte=today).order_by("day")


def opening_time_after(
    *, store: Store, start: datetime, duration: timedelta, known: SpecialDays | None = None
) -> datetime | None:
    """When `duration` of `store`'s opening time, special days counted, will have passed after
    `start`; None when it publishes no hours (a warehouse works round the clock). `known`: its
    special days already read (special_days), else one query."""
    if known is None:
        known = special_days(store=store, start=start)
    return after_opening_time(
        store.opening_hours, start=start, duration=duration, special_days=known
    )


def store_pickup_slots(
    *, store: Store, earliest: datetime, days: int, known: SpecialDays | None = None
) -> list[tuple[datetime, datetime]]:
    """`store`'s pickup slots from `earliest`, `days` days ahead, none on a day it is closed.
    `known`: its special days already read over those days, else one query."""
    if not store.pickup_slot_minutes:
        return []
    if known is None:
        known = special_days(store=store, start=earliest, days=days + 1)
    return pickup_slots(
        store.opening_hours,
        minutes=store.pickup_slot_minutes,
        earliest=earliest,
        days=days,
        special_days=known,
    )
