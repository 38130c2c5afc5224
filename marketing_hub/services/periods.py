"""Billing periods of the digital packs, and the one proration rule, as pure functions.

A period is a calendar month, written as its first day. Days are counted as half-open
intervals [start, end): a subscription started on the 10th and ended on the 20th was live
for 10 days. A part of a month costs `price * days / days in the month`, rounded half up to
the cent (the rounding of `payments`: VAT lines round the same way).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    """The first day of the month after `day`'s."""
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def days_in_month(day: date) -> int:
    return calendar.monthrange(day.year, day.month)[1]


def add_months(day: date, months: int) -> date:
    """`day` plus `months` calendar months; the 31st of a shorter month is its last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def share_cents(price_cents: int, days: int, month_days: int) -> int:
    """`days` of a month of `month_days` days at `price_cents` a month, half up to the cent."""
    if days < 0 or month_days <= 0 or days > month_days:
        raise ValueError("days must lie within the month")
    return (2 * price_cents * days + month_days) // (2 * month_days)


def live_days(period: date, *, start: date, end: date | None) -> int:
    """Days of `period`'s month within [start, end) (end None: open)."""
    first, after = month_start(period), next_month(period)
    lo = max(first, start)
    hi = after if end is None else min(after, end)
    return max((hi - lo).days, 0)


def period_fee_cents(price_cents: int, period: date, *, start: date, end: date | None) -> int:
    """What `period`'s month costs a subscription live over [start, end): the whole price for a
    whole month, the days' share for a first or last month."""
    days = live_days(period, start=start, end=end)
    month_days = days_in_month(period)
    return price_cents if days == month_days else share_cents(price_cents, days, month_days)


@dataclass(frozen=True)
class Proration:
    """A plan change on `day`: the unused days of the old plan credited, the new plan's
    remaining days charged, in the month of `day` (the day of the change counts for the new
    plan). `net_cents` is what the store pays (never negative: downgrades wait for the next
    month, see services/subscriptions.py)."""

    day: date
    days: int
    month_days: int
    credit_cents: int
    charge_cents: int

    @property
    def net_cents(self) -> int:
        return self.charge_cents - self.credit_cents


def prorate(*, old_price_cents: int, new_price_cents: int, day: date) -> Proration:
    month_days = days_in_month(day)
    days = month_days - day.day + 1
    return Proration(
        day=day,
        days=days,
        month_days=month_days,
        credit_cents=share_cents(old_price_cents, days, month_days),
        charge_cents=share_cents(new_price_cents, days, month_days),
    )
