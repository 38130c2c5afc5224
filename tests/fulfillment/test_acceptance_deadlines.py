"""A store's deadline to accept an order counts its opening time (special days included), the
customer's promise is that same moment, and the timeout job keeps to it."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
import time_machine

from checkout.selectors import cart_summary, promise_for
from checkout.services import add_to_cart, get_or_create_cart
from fulfillment import tasks
from fulfillment.models import Fulfilment
from orders.models import FulfilmentMethod, OrderPolicy
from stores.models import StoreSpecialDay
from stores.opening_hours import STORE_TIME_ZONE

from .conftest import click_and_collect, home, order_for

S = Fulfilment.Status
WEEKDAYS_0930_1900 = {
    **{day: [["09:30", "19:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat")},
    "sun": [],
}


def paris(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of the first week of March 2026 (Sunday the 1st), Paris time."""
    return datetime(2026, 3, day, hour, minute, tzinfo=STORE_TIME_ZONE)


@pytest.fixture
def lyon_opens_monday_0930(network):
    network.lyon.opening_hours = WEEKDAYS_0930_1900
    network.lyon.save(update_fields=["opening_hours"])
    return network


def test_an_order_placed_on_sunday_morning_is_due_two_opening_hours_after_monday_0930(
    lyon_opens_monday_0930,
):
    network = lyon_opens_monday_0930
    # Given a store closed on Sunday and open from 09:30 on Monday, with 2 hours to accept
    assert OrderPolicy.current().accept_within_minutes == 120
    with time_machine.travel(paris(1, 7, 6), tick=False):
        # When a customer looks at the basket and orders on Sunday at 07:06
        cart = get_or_create_cart()
        add_to_cart(
            cart=cart,
            variant=network.secateur,
            quantity=1,
            method=FulfilmentMethod.CLICK_COLLECT,
            store=network.lyon,
        )
        (group,) = cart_summary(cart).groups
        promise = promise_for(group, policy=OrderPolicy.current())
        order = order_for(click_and_collect(network.secateur, network.lyon))

    # Then the store must accept by Monday 11:30, not Sunday 09:06, and the customer was
    # promised that same moment
    fulfilment = order.fulfilments.get()
    assert fulfilment.accept_deadline == paris(2, 11, 30)
    assert promise.ready_at == paris(2, 11, 30)
    assert "demain à 11:30" in promise.text


def test_the_timeout_job_waits_for_the_deadline_counted_in_opening_time(lyon_opens_monday_0930):
    network = lyon_opens_monday_0930
    with time_machine.travel(paris(1, 7, 6), tick=False):
        order = order_for(click_and_collect(network.secateur, network.lyon))
    fulfilment = order.fulfilments.get()

    # Monday 09:10: two hours of clock time are long past, but the store has just opened
    with time_machine.travel(paris(2, 9, 10), tick=False):
        tasks.time_out_overdue_fulfilments.apply(throw=True)
    fulfilment.refresh_from_db()
    assert fulfilment.status == S.AWAITING_ACCEPTANCE

    # Monday 11:31: the two opening hours have passed without an answer
    with time_machine.travel(paris(2, 11, 31), tick=False):
        tasks.time_out_overdue_fulfilments.apply(throw=True)
    fulfilment.refresh_from_db()
    assert fulfilment.status == S.TIMED_OUT


def test_a_special_day_counts_in_the_deadline(lyon_opens_monday_0930):
    network = lyon_opens_monday_0930
    # Given the store closed on Monday (a holiday) and opening late, at 14:00, on Tuesday
    StoreSpecialDay.objects.create(store=network.lyon, day=date(2026, 3, 2), closed=True)
    StoreSpecialDay.objects.create(
        store=network.lyon, day=date(2026, 3, 3), closed=False, opens=time(14), closes=time(19)
    )

    with time_machine.travel(paris(1, 7, 6), tick=False):
        order = order_for(click_and_collect(network.secateur, network.lyon))

    assert order.fulfilments.get().accept_deadline == paris(3, 16, 0)


def test_a_location_without_opening_hours_counts_clock_time(network):
    # Given the warehouse, which publishes no hours, the only one with the item
    for other in (network.lyon, network.villeurbanne, network.caluire):
        network.stock(other).delete()

    with time_machine.travel(paris(1, 7, 6), tick=False):
        order = order_for(home(network.secateur))

    fulfilment = order.fulfilments.get()
    assert fulfilment.store == network.warehouse
    assert fulfilment.accept_deadline == paris(1, 9, 6)
