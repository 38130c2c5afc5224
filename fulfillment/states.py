"""Lifecycles of the fulfillment app, in one place: a fulfilment's allowed moves (and which
methods each applies to), and a return's."""

from __future__ import annotations

from django.utils.translation import gettext as _

from network_marketplace.errors import IllegalTransition
from orders.models import FulfilmentMethod

from .models import Fulfilment, Return

S = Fulfilment.Status
HOME = {FulfilmentMethod.HOME_DELIVERY}
CLICK = {FulfilmentMethod.CLICK_COLLECT}
RESERVE = {FulfilmentMethod.RESERVE_COLLECT}
COLLECT = CLICK | RESERVE
ALL = HOME | COLLECT

# (from, to) -> the methods for which the move is allowed.
TRANSITIONS: dict[tuple[str, str], set[str]] = {
    (S.AWAITING_ACCEPTANCE, S.ACCEPTED): ALL,
    (S.AWAITING_ACCEPTANCE, S.REJECTED): ALL,
    (S.AWAITING_ACCEPTANCE, S.TIMED_OUT): ALL,
    (S.AWAITING_ACCEPTANCE, S.CANCELLED): ALL,
    (S.ACCEPTED, S.PICKED): ALL,
    (S.ACCEPTED, S.CANCELLED): ALL,
    (S.PICKED, S.READY_FOR_PICKUP): COLLECT,
    (S.PICKED, S.SHIPPED): HOME,
    (S.SHIPPED, S.DELIVERED): HOME,
    (S.PICKED, S.CANCELLED): ALL,
    (S.READY_FOR_PICKUP, S.COLLECTED): CLICK,
    (S.READY_FOR_PICKUP, S.PURCHASED_IN_STORE): RESERVE,
    (S.READY_FOR_PICKUP, S.NOT_PURCHASED): RESERVE,
    (S.READY_FOR_PICKUP, S.UNCOLLECTED): COLLECT,
    (S.READY_FOR_PICKUP, S.CANCELLED): ALL,
}

OPEN_STATUSES = {S.AWAITING_ACCEPTANCE, S.ACCEPTED, S.PICKED, S.READY_FOR_PICKUP}
# The fulfilment's goods left the store with the customer or the carrier: the sale is made.
COMPLETED_STATUSES = {S.COLLECTED, S.SHIPPED, S.DELIVERED, S.PURCHASED_IN_STORE}
# The goods reached the customer, or are on their way to them, after a distance sale: what a
# customer may send back within the withdrawal period. Reserve & collect is paid in store.
RETURNABLE_STATUSES = {S.COLLECTED, S.SHIPPED, S.DELIVERED}
# Ends that give the stock back and, for a routed line, may send it to another location.
LOST_STATUSES = {S.REJECTED, S.TIMED_OUT}


def can_move(fulfilment: Fulfilment, target: str) -> bool:
    return fulfilment.method in TRANSITIONS.get((fulfilment.status, target), set())


def check_fulfilment_transition(fulfilment: Fulfilment, target: str) -> None:
    if not can_move(fulfilment, target):
        raise IllegalTransition(
            _("A %(method)s fulfilment can't go from “%(current)s” to “%(target)s”.")
            % {
                "method": FulfilmentMethod(fulfilment.method).label.lower(),
                "current": S(fulfilment.status).label,
                "target": S(target).label,
            },
            current=fulfilment.status,
            target=target,
        )


R = Return.Status

RETURN_TRANSITIONS: dict[str, set[str]] = {
    R.REQUESTED: {R.RECEIVED, R.CANCELLED},
    R.RECEIVED: {R.INSPECTED},
    R.INSPECTED: {R.REFUNDED},
    R.REFUNDED: set(),
    R.CANCELLED: set(),
}
# A return whose units still count against what may be returned of an order.
COUNTED_RETURN_STATUSES = {R.REQUESTED, R.RECEIVED, R.INSPECTED, R.REFUNDED}


def check_return_transition(current: str, target: str) -> None:
    if target not in RETURN_TRANSITIONS[current]:
        raise IllegalTransition(
            _("A return can't go from “%(current)s” to “%(target)s”.")
            % {"current": R(current).label, "target": R(target).label},
            current=current,
            target=target,
        )
