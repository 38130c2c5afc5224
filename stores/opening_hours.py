"""A store's opening hours: the week's table, "open now", and schema.org's specification.

`Store.opening_hours` is {"mon": [["09:00", "19:00"]], ..., "sun": []}: several ranges a day,
an empty list (or a missing day) means closed; a range whose end is not after its start runs
past midnight ("22:00"-"02:00"). Malformed ranges are skipped rather than failing a page.
Hours are French local time, whatever the server's time zone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _

STORE_TIME_ZONE = ZoneInfo("Europe/Paris")
DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SCHEMA_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class TimeRange:
    opens: time
    closes: time

    @property
    def overnight(self) -> bool:
        return self.closes <= self.opens


# A store's special days (a closed holiday, a late night): {day: its ranges}, () for closed.
SpecialDays = Mapping[date, tuple[TimeRange, ...]]


@dataclass(frozen=True)
class DayHours:
    weekday: int  # 0 = Monday
    name: str
    ranges: tuple[TimeRange, ...]
    is_today: bool = False


@dataclass(frozen=True)
class OpeningStatus:
    """Whether the store is open at a moment and when that changes (local times)."""

    is_open: bool
    changes_at: datetime | None  # closing time when open, next opening when closed
    known: bool = True  # False when the store published no hours at all


def _parse_time(value) -> time | None:
    match = _HHMM.match(str(value).strip()) if isinstance(value, str) else None
    return time(int(match.group(1)), int(match.group(2))) if match else None


def day_ranges(opening_hours, weekday: int) -> tuple[TimeRange, ...]:
    """The valid ranges of a day (0 = Monday), in order of opening."""
    raw = opening_hours.get(DAY_KEYS[weekday]) if isinstance(opening_hours, dict) else None
    ranges = []
    for item in raw if isinstance(raw, list) else []:
        if not isinstance(item, list | tuple) or len(item) != 2:
            continue
        opens, closes = _parse_time(item[0]), _parse_time(item[1])
        if opens is not None and closes is not None and opens != closes:
            ranges.append(TimeRange(opens, closes))
    return tuple(sorted(ranges, key=lambda r: r.opens))


def has_hours(opening_hours) -> bool:
    return any(day_ranges(opening_hours, day) for day in range(7))


def weekly_hours(opening_hours, *, now: datetime | None = None) -> list[DayHours]:
    """Monday to Sunday, with today marked."""
    today = timezone.localtime(now or timezone.now(), STORE_TIME_ZONE).weekday()
    return [
        DayHours(day, str(WEEKDAYS[day]), day_ranges(opening_hours, day), day == today)
        for day in range(7)
    ]


def _intervals(opening_hours, start_day: datetime, special_days: SpecialDays | None = None):
    """Opening intervals as local datetimes from the day before `start_day` for 8 days; a
    special day replaces its weekday's hours."""
    special_days = special_days or {}
    for offset in range(-1, 8):
        day = start_day + timedelta(days=offset)
        ranges = special_days.get(day.date())
        if ranges is None:
            ranges = day_ranges(opening_hours, day.weekday())
        for item in ranges:
            opens = datetime.combine(day.date(), item.opens, tzinfo=STORE_TIME_ZONE)
            closes = datetime.combine(
                day.date() + timedelta(days=1 if item.overnight else 0),
                item.closes,
                tzinfo=STORE_TIME_ZONE,
            )
            yield opens, closes


def opening_status(
    opening_hours, *, now: datetime | None = None, special_days: SpecialDays | None = None
) -> OpeningStatus:
    """Open or closed at `now`, and when that changes; `special_days` (a closed holiday, a
    late night) replace their weekday's hours."""
    local_now = timezone.localtime(now or timezone.now(), STORE_TIME_ZONE)
    if not has_hours(opening_hours):
        return OpeningStatus(is_open=False, changes_at=None, known=False)
    midnight = local_now.replace(hour=0, minute=0, second=0, microsecond=0)
    intervals = sorted(_intervals(opening_hours, midnight, special_days))
    for opens, closes in intervals:
        if opens <= local_now < closes:
            # Back-to-back ranges ("09:00-12:00", "12:00-19:00") close at the last one's end.
            for next_opens, next_closes in intervals:
                if next_opens == closes:
                    closes = next_closes
            return OpeningStatus(is_open=True, changes_at=closes)
    upcoming = [opens for opens, _closes in intervals if opens > local_now]
    return OpeningStatus(is_open=False, changes_at=min(upcoming) if upcoming else None)


def opening_hours_specification(
    opening_hours, special_days: SpecialDays | None = None
) -> list[dict]:
    """schema.org OpeningHoursSpecification entries (an overnight range closes the next day,
    which schema.org expresses with `closes` earlier than `opens`). Each special day follows
    the week as an entry valid that day only; a closed day opens and closes at 00:00 (how
    schema.org and Google's local search read a closure)."""
    week = [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": f"https://schema.org/{SCHEMA_DAYS[day]}",
            "opens": f"{item.opens:%H:%M}",
            "closes": f"{item.closes:%H:%M}",
        }
        for day in range(7)
        for item in day_ranges(opening_hours, day)
    ]
    special = []
    for day, ranges in sorted((special_days or {}).items()):
        for opens, closes in [(r.opens, r.closes) for r in ranges] or [(time(0), time(0))]:
            special.append(
                {
                    "@type": "OpeningHoursSpecification",
                    "validFrom": day.isoformat(),
                    "validThrough": day.isoformat(),
                    "opens": f"{opens:%H:%M}",
                    "closes": f"{closes:%H:%M}",
                }
            )
    return week + special


def describe_status(status: OpeningStatus, *, now: datetime | None = None) -> str:
    """When the status changes: "closes at 19:00", "opens tomorrow at 09:00"…"""
    if not status.known or status.changes_at is None:
        return ""
    at = f"{status.changes_at:%H:%M}"
    if status.is_open:
        return _("closes at %(time)s") % {"time": at}
    today = timezone.localtime(now or timezone.now(), STORE_TIME_ZONE).date()
    days = (status.changes_at.date() - today).days
    if days == 0:
        return _("opens at %(time)s") % {"time": at}
    if days == 1:
        return _("opens tomorrow at %(time)s") % {"time": at}
    return _("opens on %(day)s at %(time)s") % {
        "day": WEEKDAYS[status.changes_at.weekday()],
        "time": at,
    }


# Opening time ahead: pickup promises and slots, acceptance deadlines ---------------------


def opening_intervals(
    opening_hours, *, start: datetime, days: int, special_days: SpecialDays | None = None
) -> list[tuple[datetime, datetime]]:
    """The store's opening intervals (local datetimes) that end after `start`, over the next
    `days` days, in order; back-to-back and overlapping ranges are merged. A special day
    replaces its weekday's hours."""
    local_start = timezone.localtime(start, STORE_TIME_ZONE)
    midnight = local_start.replace(hour=0, minute=0, second=0, microsecond=0)
    special_days = special_days or {}
    intervals = []
    for offset in range(-1, days + 1):
        day = midnight + timedelta(days=offset)
        ranges = special_days.get(day.date())
        if ranges is None:
            ranges = day_ranges(opening_hours, day.weekday())
        for item in ranges:
            opens = datetime.combine(day.date(), item.opens, tzinfo=STORE_TIME_ZONE)
            closes = datetime.combine(
                day.date() + timedelta(days=1 if item.overnight else 0),
                item.closes,
                tzinfo=STORE_TIME_ZONE,
            )
            intervals.append((opens, closes))
    merged: list[tuple[datetime, datetime]] = []
    for opens, closes in sorted(intervals):
        if merged and opens <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], closes))
        else:
            merged.append((opens, closes))
    horizon = midnight + timedelta(days=days)
    return [(o, c) for o, c in merged if c > local_start and o < horizon]


def after_opening_time(
    opening_hours,
    *,
    start: datetime,
    duration: timedelta,
    special_days: SpecialDays | None = None,
) -> datetime | None:
    """When `duration` of the store's opening time will have passed after `start` (a store
    works on orders while it is open). None when it publishes no hours in the coming fortnight."""
    remaining = duration
    intervals = opening_intervals(opening_hours, start=start, days=14, special_days=special_days)
    for opens, closes in intervals:
        begin = max(opens, timezone.localtime(start, STORE_TIME_ZONE))
        if begin + remaining <= closes:
            return begin + remaining
        remaining -= closes - begin
    return None


def pickup_slots(
    opening_hours,
    *,
    minutes: int,
    earliest: datetime,
    days: int,
    special_days: SpecialDays | None = None,
) -> list[tuple[datetime, datetime]]:
    """Slots of `minutes` within opening hours, starting on the slot grid of each opening
    (09:00, 09:30…) at or after `earliest`, up to `days` days ahead; local datetimes."""
    if minutes <= 0:
        return []
    length = timedelta(minutes=minutes)
    local_earliest = timezone.localtime(earliest, STORE_TIME_ZONE)
    slots = []
    intervals = opening_intervals(
        opening_hours, start=local_earliest, days=days, special_days=special_days
    )
    for opens, closes in intervals:
        begin = opens
        if begin < local_earliest:
            steps = -(-(local_earliest - opens) // length)  # ceiling division
            begin = opens + steps * length
        while begin + length <= closes:
            slots.append((begin, begin + length))
            begin += length
    return slots
