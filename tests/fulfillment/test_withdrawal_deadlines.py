"""Acceptance 2 (issue 13), the deadlines: 14 days per order part from the day after the
customer got the goods (handover for click & collect, delivery for a parcel, the last parcel of
a split order), none for reserve & collect, ending at the end of the last day in Paris and moved
to the next working day after a Saturday, a Sunday or a public holiday. Checked at the
boundaries with frozen time: the last minute of the last day, and the first minute after."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from fulfillment.models import Fulfilment, Return, Withdrawal
from fulfillment.selectors import part_deadlines, withdrawable_lines
from fulfillment.services import ReturnRequestLine, WithdrawalRefused, withdraw
from fulfillment.withdrawal import (
    french_public_holidays,
    part_deadline,
    period_end,
    refund_due_at,
)
from orders.models import FulfilmentMethod
from tests.fulfillment.returns_helpers import Sold, fulfilment_lines, received_order

PARIS = ZoneInfo("Europe/Paris")
M = FulfilmentMethod
S = Fulfilment.Status


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


# The pure rules ------------------------------------------------------------------------------


def test_the_period_ends_at_the_end_of_the_14th_day_after_the_day_of_receipt():
    # Handed over on Tuesday 2 June 2026 at 18:40: day 1 is Wednesday 3, day 14 Tuesday 16
    end = period_end(paris(2026, 6, 2, 18, 40))

    assert end.astimezone(PARIS).date().isoformat() == "2026-06-16"
    assert (end.hour, end.minute, end.second) == (23, 59, 59)


def test_a_period_ending_on_a_saturday_ends_on_the_monday():
    end = period_end(paris(2026, 6, 6, 10, 0))  # Saturday + 14 = Saturday 20 June

    assert end.date().isoformat() == "2026-06-22"


def test_a_period_ending_on_a_public_holiday_ends_the_next_working_day():
    # Received on 30 April 2026: day 14 is Thursday 14 May, Ascension Day
    assert paris(2026, 5, 14).date() in french_public_holidays(2026)

    end = period_end(paris(2026, 4, 30, 9, 0))

    assert end.date().isoformat() == "2026-05-15"


def test_a_receipt_just_before_midnight_in_paris_counts_in_paris():
    # 23:30 in Paris on 2 June is 21:30 UTC: still the 2nd, day 14 is the 16th
    end = period_end(paris(2026, 6, 2, 23, 30).astimezone(ZoneInfo("UTC")))

    assert end.date().isoformat() == "2026-06-16"


def test_split_parcels_count_from_the_last_one_and_wait_for_it():
    first, last = paris(2026, 6, 2, 11, 0), paris(2026, 6, 5, 16, 0)

    waiting = part_deadline(reserve_and_collect=False, received_at=first, other_parcels=[None])
    both = part_deadline(reserve_and_collect=False, received_at=first, other_parcels=[last])

    assert waiting.ends_at is None
    assert waiting.waiting_for_other_parcels
    assert waiting.open_at(paris(2026, 7, 30))  # not started: withdrawing is already possible
    assert both.ends_at.date().isoformat() == "2026-06-19"  # 5 June + 14, a Friday


def test_reserve_and_collect_has_no_right_of_withdrawal():
    deadline = part_deadline(reserve_and_collect=True, received_at=paris(2026, 6, 2, 10))

    assert not deadline.has_right
    assert not deadline.open_at(paris(2026, 6, 2, 11))


def test_the_refund_is_due_14_days_after_the_withdrawal():
    due = refund_due_at(paris(2026, 6, 3, 9, 15))  # Wednesday + 14 = Wednesday 17 June

    assert due.date().isoformat() == "2026-06-17"


# The rows, at the boundaries -------------------------------------------------------------------


def _received(order, part, at):
    part.closed_at = at
    part.delivered_at = at if part.status == S.DELIVERED else None
    part.save(update_fields=["closed_at", "delivered_at"])


def _try_withdraw(order, at):
    with time_machine.travel(at, tick=False):
        return withdraw(
            order=order,
            lines=[ReturnRequestLine(line, line.quantity) for line in fulfilment_lines(order)],
            method=Return.Method.IN_STORE,
            store=order.fulfilments.first().store,
            actor=f"guest:{order.email}",
        )


@pytest.mark.parametrize(
    "method", [M.CLICK_COLLECT, M.HOME_DELIVERY], ids=["click-and-collect", "delivery"]
)
def test_the_last_minute_of_the_last_day_is_in_and_the_next_minute_out(lyon_store, method):
    handed_over = paris(2026, 6, 2, 15, 0)  # a Tuesday: the 14th day is Tuesday 16 June
    in_time = received_order(Sold(lyon_store, method=method))
    too_late = received_order(Sold(lyon_store, method=method))
    for order in (in_time, too_late):
        _received(order, order.fulfilments.get(), handed_over)

    made = _try_withdraw(in_time, paris(2026, 6, 16, 23, 59))
    with pytest.raises(WithdrawalRefused, match=r"ended on 16/06/2026|a pris fin le 16/06/2026"):
        _try_withdraw(too_late, paris(2026, 6, 17, 0, 0))

    assert made.declared_at == paris(2026, 6, 16, 23, 59)
    assert not Withdrawal.objects.filter(order=too_late).exists()
    assert not Return.objects.filter(order=too_late).exists()


def test_a_period_ending_on_a_saturday_can_be_used_until_monday_midnight(lyon_store):
    on_monday = received_order(Sold(lyon_store, method=M.HOME_DELIVERY))
    on_tuesday = received_order(Sold(lyon_store, method=M.HOME_DELIVERY))
    for order in (on_monday, on_tuesday):
        _received(order, order.fulfilments.get(), paris(2026, 6, 6, 10, 0))  # a Saturday

    _try_withdraw(on_monday, paris(2026, 6, 22, 23, 59))
    with pytest.raises(WithdrawalRefused):
        _try_withdraw(on_tuesday, paris(2026, 6, 23, 0, 0))


def test_split_parcels_both_count_from_the_last_parcel(lyon_store, paris_store):
    order = received_order(
        Sold(lyon_store, method=M.HOME_DELIVERY), Sold(paris_store, method=M.HOME_DELIVERY)
    )
    lyon_part = order.fulfilments.get(store=lyon_store)
    paris_part = order.fulfilments.get(store=paris_store)
    _received(order, lyon_part, paris(2026, 6, 2, 11, 0))
    _received(order, paris_part, paris(2026, 6, 5, 16, 0))

    periods = part_deadlines([lyon_part, paris_part])

    assert periods[lyon_part.pk].ends_at == periods[paris_part.pk].ends_at
    assert periods[lyon_part.pk].ends_at.date().isoformat() == "2026-06-19"
    with time_machine.travel(paris(2026, 6, 19, 23, 59), tick=False):
        assert all(line.quantity == 1 for line in withdrawable_lines(order))
    with time_machine.travel(paris(2026, 6, 20, 0, 0), tick=False):
        assert all(line.quantity == 0 for line in withdrawable_lines(order))


def test_a_parcel_still_on_its_way_holds_the_start_of_the_period(lyon_store, paris_store):
    order = received_order(
        Sold(lyon_store, method=M.HOME_DELIVERY),
        Sold(paris_store, method=M.HOME_DELIVERY, status=S.PICKED),
    )
    delivered = order.fulfilments.get(store=lyon_store)
    _received(order, delivered, paris(2026, 6, 2, 11, 0))

    period = part_deadlines([delivered])[delivered.pk]

    assert period.ends_at is None
    assert period.waiting_for_other_parcels
    # A month later the first parcel may still be withdrawn from: the period has not started
    with time_machine.travel(paris(2026, 7, 2, 12, 0), tick=False):
        lines = {line.fulfilment_line.fulfilment.store: line for line in withdrawable_lines(order)}
    assert lines[lyon_store].quantity == 1
    assert lines[paris_store].quantity == 0  # not received yet


def test_a_click_and_collect_part_counts_from_its_own_handover(lyon_store, paris_store):
    order = received_order(
        Sold(lyon_store, method=M.CLICK_COLLECT), Sold(paris_store, method=M.HOME_DELIVERY)
    )
    collect = order.fulfilments.get(store=lyon_store)
    parcel = order.fulfilments.get(store=paris_store)
    _received(order, collect, paris(2026, 6, 2, 11, 0))
    _received(order, parcel, paris(2026, 6, 9, 11, 0))

    periods = part_deadlines([collect, parcel])

    assert periods[collect.pk].ends_at.date().isoformat() == "2026-06-16"
    assert periods[parcel.pk].ends_at.date().isoformat() == "2026-06-23"


def test_reserve_and_collect_has_no_deadline_and_is_refused(lyon_store):
    order = received_order(Sold(lyon_store, method=M.RESERVE_COLLECT))
    part = order.fulfilments.get()

    assert not part_deadlines([part])[part.pk].has_right
    with pytest.raises(WithdrawalRefused, match=r"distance sale|vente à distance"):
        _try_withdraw(order, paris(2026, 1, 1, 12, 0))
    assert not Withdrawal.objects.exists()
    assert not Return.objects.exists()
