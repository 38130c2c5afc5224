"""Following an order: the signed link a guest receives, and each part's status in the
customer's words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from .models import FulfilmentMethod, Order

_SALT = "orders.tracking-link"


def tracking_token(number: str) -> str:
    """The secret part of an order's tracking link: whoever has the link may follow the order
    (it is sent to the customer's e-mail address only). Derived from the order number and
    SECRET_KEY, so it needs no storage and the e-mail template can build it."""
    return salted_hmac(_SALT, number, algorithm="sha256").hexdigest()[:32]


def check_tracking_token(number: str, token: str) -> bool:
    return constant_time_compare(tracking_token(number), token or "")


def tracking_path(number: str) -> str:
    return reverse("orders:track-link", args=[number, tracking_token(number)])


def tracking_url(number: str) -> str:
    return settings.SITE_URL.rstrip("/") + tracking_path(number)


def status_text(fulfilment) -> str:
    """A part of an order's status, as its customer understands it."""
    from fulfillment.models import Fulfilment

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


def status_tone(fulfilment) -> str:
    """The badge colour of a part's status: ok, warn, danger or neutral."""
    from fulfillment.models import Fulfilment
    from fulfillment.states import COMPLETED_STATUSES, LOST_STATUSES

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


def order_status_text(order: Order) -> str:
    texts = {
        Order.Status.PENDING_PAYMENT: _("Awaiting payment"),
        Order.Status.PLACED: _("Placed"),
        Order.Status.IN_PROGRESS: _("In progress"),
        Order.Status.COMPLETED: _("Completed"),
        Order.Status.CANCELLED: _("Cancelled"),
    }
    return texts.get(order.status, order.get_status_display())


def timeline(order: Order, fulfilment=None) -> list[TimelineEntry]:
    """What happened, oldest first: the order's placement, then each change of the part."""
    from fulfillment.models import Fulfilment

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
