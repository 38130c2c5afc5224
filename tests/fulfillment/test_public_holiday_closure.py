"""Acceptance 4 of issue 15: a store its owner closed on a public holiday, from the back-office's
store profile, offers no pickup slot that day, and its deadline to accept an order placed while
it is closed counts from its next opening (frozen time, Paris)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine

from checkout.selectors import cart_summary, promise_for
from checkout.services import add_to_cart, get_or_create_cart
from orders.models import FulfilmentMethod, OrderPolicy
from stores.models import StoreSpecialDay
from stores.opening_hours import STORE_TIME_ZONE
from stores.selectors import store_pickup_slots

from .conftest import click_and_collect, order_for

ASCENSION_2026 = date(2026, 5, 14)  # Easter 2026 is 5 April: Ascension, Thursday 14 May
WEEKDAYS_0930_1900 = {
    **{day: [["09:30", "19:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat")},
    "sun": [],
}


def paris(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 5, day, hour, minute, tzinfo=STORE_TIME_ZONE)


@pytest.fixture
def lyon_closed_on_ascension(client, network, lyon_owner):
    """Lyon opens 09:30-19:00 Monday to Saturday, with 30-minute pickup slots; its owner
    closes it on Ascension Day with the profile page's one-click public holiday button."""
    network.lyon.opening_hours = WEEKDAYS_0930_1900
    network.lyon.pickup_slot_minutes = 30
    network.lyon.save(update_fields=["opening_hours", "pickup_slot_minutes"])
    client.force_login(lyon_owner)
    with time_machine.travel(paris(4, 10), tick=False):
        response = client.post(
            f"/store/{network.lyon.slug}/profile/special-days/",
            {"holiday": ASCENSION_2026.isoformat()},
        )
    assert response.status_code == 302
    special = StoreSpecialDay.objects.get(store=network.lyon)
    assert (special.day, special.closed, special.note) == (ASCENSION_2026, True, "Ascension")
    return network


def _promise(network, now):
    with time_machine.travel(now, tick=False):
        cart = get_or_create_cart()
        add_to_cart(
            cart=cart,
            variant=network.secateur,
            quantity=1,
            method=FulfilmentMethod.CLICK_COLLECT,
            store=network.lyon,
        )
        (group,) = cart_summary(cart).groups
        return promise_for(group, policy=OrderPolicy.current())


def test_no_pickup_slot_is_offered_on_the_public_holiday(lyon_closed_on_ascension):
    network = lyon_closed_on_ascension

    # Wednesday 13 May, 17:00: the store must accept within 2 opening hours, by 19:00
    promise = _promise(network, paris(13, 17))
    slot_days = {start.date() for start, _end in promise.slots}
    every_slot = store_pickup_slots(store=network.lyon, earliest=promise.ready_at, days=4)

    assert promise.ready_at == paris(13, 19)
    assert ASCENSION_2026 not in slot_days
    assert ASCENSION_2026 not in {start.date() for start, _end in every_slot}
    # The next slots are on Friday morning, from the opening
    assert every_slot[0][0] == paris(15, 9, 30)
    assert min(slot_days) == date(2026, 5, 15)


def test_an_order_placed_while_closed_is_due_from_the_next_opening(lyon_closed_on_ascension):
    network = lyon_closed_on_ascension

    # Placed on the holiday itself, Thursday at 10:00, while the store is closed
    with time_machine.travel(paris(14, 10), tick=False):
        on_the_holiday = order_for(click_and_collect(network.secateur, network.lyon))
    # Placed the evening before, after closing time
    with time_machine.travel(paris(13, 20, 15), tick=False):
        the_evening_before = order_for(click_and_collect(network.secateur, network.lyon))
    promise = _promise(network, paris(14, 10))

    # Both are due two opening hours after Friday's 09:30 opening, as the customer was told
    assert on_the_holiday.fulfilments.get().accept_deadline == paris(15, 11, 30)
    assert the_evening_before.fulfilments.get().accept_deadline == paris(15, 11, 30)
    assert promise.ready_at == paris(15, 11, 30)
    assert "demain à 11:30" in promise.text


def test_without_the_closure_the_holiday_is_an_ordinary_thursday(network):
    # The same store without the closure: slots and deadline on the Thursday (the rule bites
    # only because of the special day)
    network.lyon.opening_hours = WEEKDAYS_0930_1900
    network.lyon.pickup_slot_minutes = 30
    network.lyon.save(update_fields=["opening_hours", "pickup_slot_minutes"])

    with time_machine.travel(paris(14, 10), tick=False):
        order = order_for(click_and_collect(network.secateur, network.lyon))
    slots = store_pickup_slots(store=network.lyon, earliest=paris(14, 10), days=1)

    assert order.fulfilments.get().accept_deadline == paris(14, 12)
    assert slots[0][0] == paris(14, 10)
