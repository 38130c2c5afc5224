"""A store's exceptional hours (services/special_hours.py): refused with a reason and nothing
saved for a past day, a day given twice, an open day without both times or with them reversed;
a store never removes another store's day."""

from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from marketing_hub.models import SpecialHours
from marketing_hub.services.special_hours import (
    SpecialHoursRefused,
    add_special_hours,
    remove_special_hours,
)

pytestmark = pytest.mark.django_db


def add(store, day, *, closed=False, opens=None, closes=None):
    return add_special_hours(
        store=store, day=day, closed=closed, opens=opens, closes=closes, note="", actor="test"
    )


@pytest.mark.parametrize(
    ("days_ahead", "closed", "opens", "closes", "message"),
    [
        (-1, True, None, None, "un jour à venir"),
        (3, False, time(10), None, "et de fermeture, ou cochez"),
        (3, False, time(18), time(9), "fermeture doit être après"),
    ],
)
def test_a_bad_special_day_is_refused_and_nothing_saved(
    lyon_store, days_ahead, closed, opens, closes, message
):
    day = timezone.localdate() + timedelta(days=days_ahead)

    with pytest.raises(SpecialHoursRefused, match=message):
        add(lyon_store, day, closed=closed, opens=opens, closes=closes)

    assert not SpecialHours.objects.exists()


def test_a_day_given_twice_is_refused(lyon_store):
    day = date(timezone.localdate().year + 1, 12, 25)
    add(lyon_store, day, closed=True)

    with pytest.raises(SpecialHoursRefused, match="déjà des horaires exceptionnels"):
        add(lyon_store, day, closed=False, opens=time(10), closes=time(12))

    assert SpecialHours.objects.get().closed is True


def test_a_closed_day_keeps_no_times_and_another_store_cannot_remove_it(lyon_store, paris_store):
    day = date(timezone.localdate().year + 1, 1, 1)
    row = add(lyon_store, day, closed=True, opens=time(9), closes=time(12))

    assert (row.opens, row.closes) == (None, None)
    assert remove_special_hours(store=paris_store, special_hours_id=row.pk, actor="t") is False
    assert remove_special_hours(store=lyon_store, special_hours_id=row.pk, actor="t") is True
    assert not SpecialHours.objects.exists()
