"""Promises: when each part of a basket will be ready, in the customer's words, with the pickup
slots of a store that offers them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from orders.models import FulfilmentMethod, OrderPolicy
from orders.services import acceptance_window
from stores.opening_hours import STORE_TIME_ZONE
from stores.selectors import (
    HORIZON_DAYS,
    opening_time_after,
    special_days,
    store_pickup_slots,
)

from .carts import CartGroup


@dataclass(frozen=True)
class Promise:
    text: str
    ready_at: object = None  # the estimated moment (aware datetime) when there is one
    slots: list = field(default_factory=list)  # [(start, end)] local datetimes


MAX_SLOTS = 60


def promise_for(group: CartGroup, *, policy: OrderPolicy, now: datetime | None = None) -> Promise:
    """What the customer is promised for a group of the cart, in words, with the pickup slots
    of a store that offers them. Home delivery: the routing's delivery days. Click & collect:
    ready after the store's acceptance window of opening time, kept `collect_within_days`.
    Reserve & collect: held `reserve_hold_hours` once the store confirms, paid in store."""
    now = now or timezone.now()
    if group.store is None:
        # The routing's delivery delay, as the order API promises it; the shipping location is
        # only known at placement, so the longer of the warehouse's and a store's.
        days = max(policy.warehouse_delivery_days, policy.store_delivery_days)
        by = timezone.localtime(now).date() + timedelta(days=days)
        return Promise(
            ngettext(
                "Delivered within %(days)s day, by %(date)s.",
                "Delivered within %(days)s days, by %(date)s.",
                days,
            )
            % {"days": days, "date": date_format(by, "l j F")}
        )
    store = group.store
    # The store's deadline to accept (orders.services.acceptance_deadline), special days counted.
    window = acceptance_window(store, policy)
    # One read of its special days, over the acceptance window and the days slots are offered.
    known = special_days(
        store=store, start=now, days=HORIZON_DAYS + max(policy.collect_within_days, 2)
    )
    ready = opening_time_after(store=store, start=now, duration=window, known=known)
    if ready is not None:  # promise a round time: the next quarter of an hour
        floor = ready.replace(minute=ready.minute - ready.minute % 15, second=0, microsecond=0)
        ready = floor if floor == ready else floor + timedelta(minutes=15)
    hours = _duration(window)
    if group.method == FulfilmentMethod.CLICK_COLLECT:
        text = ngettext(
            "Ready within %(window)s of the store's opening hours%(when)s. Kept for you "
            "%(days)s day; we e-mail you a pickup code when it is ready.",
            "Ready within %(window)s of the store's opening hours%(when)s. Kept for you "
            "%(days)s days; we e-mail you a pickup code when it is ready.",
            policy.collect_within_days,
        ) % {
            "window": hours,
            "when": _(", by %(moment)s") % {"moment": _moment(ready)} if ready else "",
            "days": policy.collect_within_days,
        }
        horizon_days = policy.collect_within_days
    else:
        text = ngettext(
            "The store confirms within %(window)s of its opening hours%(when)s, then holds it "
            "for you %(hours)s hour. Nothing to pay now: you pay in store, only if you buy.",
            "The store confirms within %(window)s of its opening hours%(when)s, then holds it "
            "for you %(hours)s hours. Nothing to pay now: you pay in store, only if you buy.",
            policy.reserve_hold_hours,
        ) % {
            "window": hours,
            "when": _(" (by %(moment)s)") % {"moment": _moment(ready)} if ready else "",
            "hours": policy.reserve_hold_hours,
        }
        horizon_days = max(1, -(-policy.reserve_hold_hours // 24))
    slots = []
    if store.pickup_slot_minutes and ready is not None:
        slots = store_pickup_slots(store=store, earliest=ready, days=horizon_days, known=known)[
            :MAX_SLOTS
        ]
    return Promise(text, ready_at=ready, slots=slots)


def _duration(window: timedelta) -> str:
    minutes = int(window.total_seconds() // 60)
    if minutes % 60:
        return ngettext("%(count)s minute", "%(count)s minutes", minutes) % {"count": minutes}
    return ngettext("%(count)s hour", "%(count)s hours", minutes // 60) % {"count": minutes // 60}


def _moment(moment: datetime) -> str:
    local = timezone.localtime(moment, STORE_TIME_ZONE)
    today = timezone.localtime(timezone.now(), STORE_TIME_ZONE).date()
    if local.date() == today:
        return _("today at %(time)s") % {"time": f"{local:%H:%M}"}
    if local.date() == today + timedelta(days=1):
        return _("tomorrow at %(time)s") % {"time": f"{local:%H:%M}"}
    return _("%(day)s at %(time)s") % {"day": date_format(local, "l j F"), "time": f"{local:%H:%M}"}
