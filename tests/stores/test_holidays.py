"""French public holidays computed from Easter (stores/holidays.py), pure functions."""

from datetime import date

import pytest

from stores.holidays import (
    easter_sunday,
    french_public_holidays,
    is_alsace_moselle,
    public_holiday_on,
    upcoming_public_holidays,
)


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (2000, date(2000, 4, 23)),
        (2019, date(2019, 4, 21)),
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2027, date(2027, 3, 28)),
        (2038, date(2038, 4, 25)),
        (2285, date(2285, 3, 22)),  # the earliest possible date
        (1943, date(1943, 4, 25)),  # the latest possible date
    ],
)
def test_easter_sunday(year, easter):
    assert easter_sunday(year) == easter
    assert easter_sunday(year).weekday() == 6


def test_the_eleven_public_holidays_of_2026():
    holidays = french_public_holidays(2026)

    assert [(h.day, h.name) for h in holidays] == [
        (date(2026, 1, 1), "Jour de l\u2019an"),
        (date(2026, 4, 6), "Lundi de Pâques"),
        (date(2026, 5, 1), "Fête du Travail"),
        (date(2026, 5, 8), "Victoire 1945"),
        (date(2026, 5, 14), "Ascension"),
        (date(2026, 5, 25), "Lundi de Pentecôte"),
        (date(2026, 7, 14), "Fête nationale"),
        (date(2026, 8, 15), "Assomption"),
        (date(2026, 11, 1), "Toussaint"),
        (date(2026, 11, 11), "Armistice 1918"),
        (date(2026, 12, 25), "Noël"),
    ]


def test_alsace_and_moselle_add_good_friday_and_saint_stephens_day():
    local = {h.day for h in french_public_holidays(2027, alsace_moselle=True)}
    national = {h.day for h in french_public_holidays(2027)}

    assert local - national == {date(2027, 3, 26), date(2027, 12, 26)}
    assert is_alsace_moselle("67000")
    assert is_alsace_moselle("57100")
    assert not is_alsace_moselle("69002")


def test_the_coming_holidays_run_over_the_new_year():
    coming = upcoming_public_holidays(today=date(2026, 12, 1), days=60)

    assert [h.day for h in coming] == [date(2026, 12, 25), date(2027, 1, 1)]
    assert public_holiday_on(date(2026, 12, 25)).name == "Noël"
    assert public_holiday_on(date(2026, 12, 24)) is None
