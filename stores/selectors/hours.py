"""A store's opening time ahead, special days included: when an amount of it will have passed
(the deadline to accept an order, the promise to the customer) and its pickup slots."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from .. import hooks
from ..models import Store
from ..opening_hours import STORE_TIME_ZONE, SpecialDays, after_opening_time, pickup_slots

# How far ahead opening time is sought (opening_hours.after_opening_time looks 14 days ahead).
HORIZON_DAYS = 15


def special_days(*, store: Store, start: datetime, days: int = HORIZON_DAYS) -> SpecialDays:
    """`store`'s special days from the local day of `start`, `days` days ahead. One query."""
    first = timezone.localtime(start, STORE_TIME_ZONE).date() - timedelta(days=1)
    return hooks.special_days_of(store=store, start=first, end=first + timedelta(days=days + 1))


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
