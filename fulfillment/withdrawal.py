"""The right of withdrawal: when each part of an order may still be withdrawn from, as pure
functions of dates (no query: the callers read the rows, these count the days).

The rules (Directive 2011/83/EU art. 9, Code de la consommation art. L221-18 to L221-28):

- A distance sale may be withdrawn from within WITHDRAWAL_DAYS (14, a setting) counted from
  the day after the customer got the goods: the handover at the counter for click & collect
  paid online, the carrier's delivery for home delivery. A parcel shipped but never scanned as
  delivered counts from the shipping day plus DELIVERY_ALLOWANCE (the usual delivery time), so
  a missing scan never cuts a customer short.
- Goods of one order delivered in several parcels (a split order): the period of each parcel
  runs from the delivery of the order's last parcel (art. 9(2)(b)(i)). Until the last one
  arrives the period has not started, and withdrawing is already possible (art. 9(3)).
  A click & collect part is its own handover: it counts from its own pickup.
- Reserve & collect, paid in the store's till after trying the item, is not a distance sale:
  no right of withdrawal.
- A product HQ flags as exempt (art. L221-28: made to the customer's specifications,
  perishable, unsealed hygiene goods...) has none, line by line.
- The period is counted as Regulation (EEC, Euratom) No 1182/71 says: the day of the event
  does not count (art. 3(1)); the period ends at the end of its last day (art. 3(2)(b)), in the
  network's time zone (Europe/Paris); when that last day is a Saturday, a Sunday or a public
  holiday it ends at the end of the next working day (art. 3(4)). Public holidays are France's
  eleven national ones (below); Alsace-Moselle's two extra days are not counted.
- The seller refunds within WITHDRAWAL_REFUND_DAYS (14) of the withdrawal (art. 13); it may
  wait for the goods, or the proof that they were sent back (art. 13(3)).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from dateutil.easter import easter
from django.conf import settings

# A parcel shipped without a delivery scan is deemed delivered after this time.
DELIVERY_ALLOWANCE = timedelta(days=3)


def withdrawal_days() -> int:
    return int(getattr(settings, "WITHDRAWAL_DAYS", 14))


def refund_days() -> int:
    return int(getattr(settings, "WITHDRAWAL_REFUND_DAYS", 14))


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


@lru_cache(maxsize=64)
def french_public_holidays(year: int) -> frozenset[date]:
    """France's eleven national public holidays (Code du travail, art. L3133-1)."""
    easter_sunday = easter(year)
    return frozenset(
        {
            date(year, 1, 1),  # Jour de l'an
            easter_sunday + timedelta(days=1),  # Lundi de Pâques
            date(year, 5, 1),  # Fête du travail
            date(year, 5, 8),  # Victoire 1945
            easter_sunday + timedelta(days=39),  # Ascension
            easter_sunday + timedelta(days=50),  # Lundi de Pentecôte
            date(year, 7, 14),  # Fête nationale
            date(year, 8, 15),  # Assomption
            date(year, 11, 1),  # Toussaint
            date(year, 11, 11),  # Armistice
            date(year, 12, 25),  # Noël
        }
    )


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in french_public_holidays(day.year)


def next_working_day(day: date) -> date:
    """`day` itself when it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def period_end(event_at: datetime, *, days: int | None = None) -> datetime:
    """The last moment of a period of `days` days counted from the day after `event_at`: the
    end of its last day, moved to the end of the next working day when that last day is a
    Saturday, a Sunday or a public holiday. An aware datetime in the network's time zone."""
    zone = _zone()
    days = withdrawal_days() if days is None else days
    last_day = event_at.astimezone(zone).date() + timedelta(days=days)
    last_day = next_working_day(last_day)
    return datetime.combine(last_day, time.max, tzinfo=zone)


class NoRight:
    """Why a line or part has no right of withdrawal (a code; the pages word it)."""

    RESERVE_COLLECT = "reserve_collect"
    EXEMPT = "exempt"


@dataclass(frozen=True)
class PartDeadline:
    """The withdrawal period of one order part.

    `no_right`: a NoRight code when there is none. Otherwise `received_at` is when the goods
    reached the customer (None: not yet), `starts_from` the event the period counts from (the
    last parcel of a split order; None while one is still on its way), and `ends_at` its last
    moment (None until it started)."""

    no_right: str = ""
    received_at: datetime | None = None
    starts_from: datetime | None = None
    ends_at: datetime | None = None
    waiting_for_other_parcels: bool = False

    @property
    def has_right(self) -> bool:
        return not self.no_right

    def open_at(self, now: datetime) -> bool:
        """Whether the customer may still withdraw at `now`: a right, and the period not over
        (or not started: a withdrawal before it starts is allowed)."""
        return self.has_right and (self.ends_at is None or now <= self.ends_at)

    def expired_at(self, now: datetime) -> bool:
        return self.has_right and self.ends_at is not None and now > self.ends_at


def part_deadline(
    *,
    reserve_and_collect: bool,
    received_at: datetime | None,
    other_parcels: Iterable[datetime | None] = (),
    days: int | None = None,
) -> PartDeadline:
    """The period of one order part. `received_at`: when its goods reached the customer (None:
    not yet). `other_parcels`: for a home-delivery part, when each other parcel of the same
    order still counted (not cancelled or refused) reached the customer, None for one on its
    way; the period then runs from the last of them."""
    if reserve_and_collect:
        return PartDeadline(no_right=NoRight.RESERVE_COLLECT)
    if received_at is None:
        return PartDeadline()
    others = list(other_parcels)
    if any(other is None for other in others):
        return PartDeadline(received_at=received_at, waiting_for_other_parcels=True)
    starts_from = max([received_at, *[other for other in others if other is not None]])
    return PartDeadline(
        received_at=received_at,
        starts_from=starts_from,
        ends_at=period_end(starts_from, days=days),
    )


def refund_due_at(withdrawn_at: datetime, *, days: int | None = None) -> datetime:
    """The end of the day the refund is due by: `days` (14) after the withdrawal, counted the
    same way (the next working day when it falls on a weekend or a holiday)."""
    return period_end(withdrawn_at, days=refund_days() if days is None else days)
