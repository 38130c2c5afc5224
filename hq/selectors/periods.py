"""The periods HQ reads the network over: presets (today, 7 days, 30 days, the quarter) or two
dates, as local calendar days (Europe/Paris) turned into an aware half-open range."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from payments.selectors import local_midnight

TODAY, LAST_7_DAYS, LAST_30_DAYS, QUARTER, CUSTOM = "today", "7d", "30d", "quarter", "custom"
PRESETS = [
    (TODAY, _("Today")),
    (LAST_7_DAYS, _("Last 7 days")),
    (LAST_30_DAYS, _("Last 30 days")),
    (QUARTER, _("This quarter")),
    (CUSTOM, _("Dates of my choice")),
]
DEFAULT_PRESET = LAST_30_DAYS
# A period is at most this long: the figures read every order of it.
MAX_PERIOD_DAYS = 366


@dataclass(frozen=True)
class Period:
    """Local days `first` to `last` included; `start`/`end` the aware range [start, end)."""

    preset: str
    first: date
    last: date

    @property
    def start(self) -> datetime:
        return local_midnight(self.first)

    @property
    def end(self) -> datetime:
        return local_midnight(self.last + timedelta(days=1))

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def preset_period(preset: str, *, today: date | None = None) -> Period:
    """The period a preset names, ending today (local)."""
    today = today or timezone.localdate()
    first = {
        TODAY: today,
        LAST_7_DAYS: today - timedelta(days=6),
        LAST_30_DAYS: today - timedelta(days=29),
        QUARTER: quarter_start(today),
    }[preset]
    return Period(preset=preset, first=first, last=today)


def today_period(*, today: date | None = None) -> Period:
    return preset_period(TODAY, today=today)


def within(period: Period, name: str) -> Q:
    """Rows whose datetime field `name` falls in the period."""
    return Q(**{f"{name}__gte": period.start, f"{name}__lt": period.end})


def within_either(period: Period, other: Period, name: str) -> Q:
    """Rows whose datetime field `name` falls in either period: one range when `other` lies
    inside `period` (today inside a preset), so that the database reads one index range."""
    if period.start <= other.start and other.end <= period.end:
        return within(period, name)
    return within(period, name) | within(other, name)
