"""French public holidays (jours fériés), computed: the fixed days and those that follow Easter.

Pure functions, no database: the back-office offers a store "closed on <holiday>" in one click
(stores.services.profile.close_on_public_holiday) and HQ closes many stores at once from the
admin. Alsace and Moselle (départements 57, 67 and 68) keep two more days: Good Friday and
Saint Stephen's day (26 December).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

ALSACE_MOSELLE_DEPARTMENTS = ("57", "67", "68")


@dataclass(frozen=True)
class PublicHoliday:
    day: date
    name: str


def easter_sunday(year: int) -> date:
    """Easter Sunday of the Gregorian calendar (the anonymous algorithm, Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return date(year, month, day + 1)


def french_public_holidays(year: int, *, alsace_moselle: bool = False) -> list[PublicHoliday]:
    """The public holidays of `year` in France, in date order."""
    easter = easter_sunday(year)
    days = [
        (date(year, 1, 1), _("New Year's Day")),
        (easter + timedelta(days=1), _("Easter Monday")),
        (date(year, 5, 1), _("Labour Day")),
        (date(year, 5, 8), _("Victory in Europe Day")),
        (easter + timedelta(days=39), _("Ascension Day")),
        (easter + timedelta(days=50), _("Whit Monday")),
        (date(year, 7, 14), _("Bastille Day")),
        (date(year, 8, 15), _("Assumption Day")),
        (date(year, 11, 1), _("All Saints' Day")),
        (date(year, 11, 11), _("Armistice Day")),
        (date(year, 12, 25), pgettext_lazy("holiday", "Christmas Day")),
    ]
    if alsace_moselle:
        days += [
            (easter - timedelta(days=2), _("Good Friday")),
            (date(year, 12, 26), _("Saint Stephen's Day")),
        ]
    return [PublicHoliday(day, str(name)) for day, name in sorted(days, key=lambda item: item[0])]


def is_alsace_moselle(postal_code: str) -> bool:
    return postal_code.strip()[:2] in ALSACE_MOSELLE_DEPARTMENTS


def upcoming_public_holidays(
    *, today: date, days: int = 366, alsace_moselle: bool = False
) -> list[PublicHoliday]:
    """The public holidays from `today` (included) over the next `days` days."""
    end = today + timedelta(days=days)
    found = []
    for year in range(today.year, end.year + 1):
        found += [
            holiday
            for holiday in french_public_holidays(year, alsace_moselle=alsace_moselle)
            if today <= holiday.day < end
        ]
    return found


def public_holiday_on(day: date, *, alsace_moselle: bool = False) -> PublicHoliday | None:
    holidays = french_public_holidays(day.year, alsace_moselle=alsace_moselle)
    return next((holiday for holiday in holidays if holiday.day == day), None)
