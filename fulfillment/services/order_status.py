"""An order's status follows its fulfilments: the roll-up every step ends with, and the voiding
of an unpaid order's fulfilments.

It lives here, not in orders, because it reads the fulfilments (orders sits below fulfillment,
docs/architecture.md); the order still moves through its own lifecycle (orders/states.py), which
writes its event and audit rows and sends the `order.updated` / `order.completed` /
`order.cancelled` webhooks.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from network_marketplace.transitions import transition
from orders.models import Order, fulfilment_holder
from orders.states import ORDER_LIFECYCLE
from stores.services import release_holder

from ..models import Fulfilment
from ..states import COMPLETED_STATUSES, FULFILMENT_LIFECYCLE, OPEN_STATUSES

# The roll-up only moves forward.
_RANK = {Order.Status.PLACED: 0, Order.Status.IN_PROGRESS: 1}


def rolled_up_status(order: Order) -> str:
    """The status an order's lines and fulfilments call for: CANCELLED when every unit of every
    line is cancelled; COMPLETED when no fulfilment is open and at least one ended in a sale;
    IN_PROGRESS once a store accepted; else PLACED."""
    lines = list(order.lines.values_list("quantity", "cancelled_quantity"))
    if lines and all(cancelled >= quantity for quantity, cancelled in lines):
        return Order.Status.CANCELLED
    fulfilments = list(Fulfilment.objects.filter(order=order).values_list("status", "accepted_at"))
    statuses = {status for status, _accepted in fulfilments}
    if statuses and not statuses & OPEN_STATUSES and statuses & COMPLETED_STATUSES:
        return Order.Status.COMPLETED
    if any(accepted for _status, accepted in fulfilments):
        return Order.Status.IN_PROGRESS
    return Order.Status.PLACED


def roll_up_order_status(*, order: Order, actor: Any, reason: str = "") -> Order:
    """Move the order to the status its fulfilments call for (`rolled_up_status`), through the
    order's lifecycle (its event, audit row and webhook). Every fulfilment step calls it last,
    in its transaction; lock order: the fulfilment's row first, then the order's. Idempotent;
    an order awaiting payment or already ended is left alone (the checkout owns the first, the
    second does not come back)."""
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.status not in _RANK:
            return locked
        target = rolled_up_status(locked)
        if target == locked.status or _RANK.get(target, 2) <= _RANK[locked.status]:
            return locked
        return transition(
            ORDER_LIFECYCLE, locked, target, actor=actor, reason=reason, locked=True
        ).row


def void_unpaid_fulfilments(*, order: Order, actor: Any, reason: str) -> int:
    """An order that will not be placed (its payment failed or never came): each of its
    fulfilments is cancelled (event and audit rows, `closed_at`) and its checkout holds go back.
    Nothing else: no line is cancelled, nothing refunded, nobody e-mailed or sent a webhook
    (the stores never saw the order). The caller holds the order's lock, with the order still
    awaiting payment. Returns how many fulfilments moved; safe to repeat."""
    now = timezone.now()
    voided = 0
    with transaction.atomic():
        for fulfilment in Fulfilment.objects.filter(order=order).order_by("pk"):
            moved = transition(
                FULFILMENT_LIFECYCLE,
                fulfilment,
                Fulfilment.Status.CANCELLED,
                actor=actor,
                reason=reason,
                changes={"closed_at": now},
            ).moved
            release_holder(holder=fulfilment_holder(fulfilment.pk), actor=actor)
            voided += moved
    return voided
