"""Each part of an order (a fulfilment) as its customer follows it: its status in their words,
its badge colour, and its history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from orders.models import FulfilmentMethod, Order

from .models import Fulfilment
from .states import COMPLETED_STATUSES, LOST_STATUSES


def status_text(fulfilment: Fulfilment) -> str:
    """A part of an order's status, as its customer understands it."""
    S = Fulfilment.Status
    method = fulfilment.method
    home = method == FulfilmentMethod.HOME_DELIVERY
    reserve = method == FulfilmentMethod.RESERVE_COLLECT
    transfer = fulfilment.pickup_store_id is not None
    texts = {
        S.AWAITING_ACCEPTANCE: _("Waiting for the store to confirm"),
        S.IN_TRANSIT: _("On its way to your store"),
        S.RECEIVED: _("Arrived at your store, almost ready"),
        S.ACCEPTED: _("Confirmed, being prepared"),
        S.PICKED: _("Packed, about to leave") if home or transfer else _("Picked, almost ready"),
        S.READY_FOR_PICKUP: _("Held for you in store") if reserve else _("Ready for pickup"),
        S.COLLECTED: _("Collected"),
        S.SHIPPED: _("Shipped"),
        S.PURCHASED_IN_STORE: _("Bought in store"),
        S.NOT_PURCHASED: _("Not bought: reservation closed"),
        S.REJECTED: _("This store could not serve it"),
        S.TIMED_OUT: _("This store could not serve it"),
        S.UNCOLLECTED: _("Not collected in time: cancelled"),
        S.CANCELLED: _("Cancelled"),
    }
    return texts.get(fulfilment.status, fulfilment.get_status_display())


def status_tone(fulfilment: Fulfilment) -> str:
    """The badge colour of a part's status: ok, warn, danger or neutral."""
    S = Fulfilment.Status
    if fulfilment.status in COMPLETED_STATUSES or fulfilment.status == S.READY_FOR_PICKUP:
        return "ok"
    if fulfilment.status in LOST_STATUSES or fulfilment.status in {
        S.CANCELLED,
        S.UNCOLLECTED,
        S.NOT_PURCHASED,
    }:
        return "danger"
    return "warn"


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    text: str


def timeline(order: Order, fulfilment: Fulfilment | None = None) -> list[TimelineEntry]:
    """What happened, oldest first: the order's placement, then each change of the part."""
    entries = []
    if fulfilment is None:
        for event in order.events.all():
            if event.to_status == Order.Status.PLACED and order.placed_at:
                entries.append(TimelineEntry(event.created_at, _("Order placed")))
        return entries
    for event in fulfilment.events.all():
        probe = Fulfilment(
            status=event.to_status,
            method=fulfilment.method,
            pickup_store_id=fulfilment.pickup_store_id,
        )
        entries.append(TimelineEntry(event.created_at, status_text(probe)))
    return entries
