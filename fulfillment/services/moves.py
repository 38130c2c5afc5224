"""How a fulfilment moves, and what every move sets off, in the move's transaction.

`move_fulfilment` is the steps' one way to change a fulfilment's status: the transition helper
(network_marketplace/transitions.py) locks the row, returns it unchanged when it is already in
the target state (a retried request or job is harmless), checks the move against
fulfillment/states.py and the acting store's side of a transfer, takes the order's row lock,
saves, and writes the FulfilmentEvent and the audit row. Then, in the same transaction: the held
stock is settled (fulfillment/services/stock.py), the sale booked when the goods left (payments,
through fulfillment/hooks.py) and the step's webhook queued.

`after_step`, which the step calls once the move is made, carries it to the order: a refused or
timed-out fulfilment's lines go to the next candidate (fulfillment/rerouting.py) or are cancelled
and refunded, an end without a sale cancels its lines, and the order's status rolls up
(fulfillment/services/order_status.py).

Lock order: the fulfilment's row, then the order's (taken by `move_fulfilment`), then stock rows.
"""

from __future__ import annotations

from typing import Any

from network_marketplace.transitions import transition
from network_marketplace.webhooks import emit_event
from orders.models import FulfilmentMethod, Order
from orders.services import cancel_order_lines
from stores.models import Store

from .. import emails, hooks
from ..models import Fulfilment
from ..rerouting import reroute_lost_fulfilment
from ..selectors import part_deadlines
from ..states import COMPLETED_STATUSES, FULFILMENT_LIFECYCLE, LOST_STATUSES, check_store_performs
from .order_status import roll_up_order_status
from .stock import settle_stock

S = Fulfilment.Status
# The goods are in the customer's hands: the withdrawal period starts.
RECEIVED_BY_CUSTOMER = {S.COLLECTED, S.DELIVERED}

# The webhook event each move emits, for POS/ERP systems that follow orders.
EVENT_OF_STATUS = {
    S.ACCEPTED: "fulfillment.accepted",
    S.REJECTED: "fulfillment.rejected",
    S.TIMED_OUT: "fulfillment.timed_out",
    S.PICKED: "fulfillment.picked",
    S.IN_TRANSIT: "fulfillment.transfer_shipped",
    S.RECEIVED: "fulfillment.transfer_received",
    S.READY_FOR_PICKUP: "fulfillment.ready",
    S.COLLECTED: "fulfillment.handed_over",
    S.SHIPPED: "fulfillment.shipped",
    S.DELIVERED: "fulfillment.delivered",
    S.PURCHASED_IN_STORE: "fulfillment.purchased_in_store",
    S.NOT_PURCHASED: "fulfillment.not_purchased",
    S.UNCOLLECTED: "fulfillment.uncollected",
    S.CANCELLED: "fulfillment.cancelled",
}

# Ends without a sale (other than a refusal or a timeout) -> why the lines are cancelled.
ENDS_WITHOUT_SALE = {
    S.CANCELLED: "cancelled",
    S.UNCOLLECTED: "uncollected",
    S.NOT_PURCHASED: "not_purchased",
}


def move_fulfilment(
    *,
    fulfilment: Fulfilment,
    target: str,
    actor: Any,
    reason: str = "",
    at_store: Store | None = None,
    **changes: Any,
) -> tuple[Fulfilment, bool]:
    """Apply one move, with `changes` saved with the status; returns (fulfilment, moved). Call
    it inside the step's transaction. `at_store` is the store acting (None: HQ or a job): a
    transfer's moves are each one side's (states.check_store_performs)."""

    def before_save(locked: Fulfilment) -> None:
        check_store_performs(locked, at_store.pk if at_store else None, target)
        # The order's row next, before any stock row: two fulfilments of one order moving at
        # once (a re-route may hold stock where the other gives it back) lock in one order.
        Order.objects.select_for_update().filter(pk=locked.order_id).values_list("pk").first()

    result = transition(
        FULFILMENT_LIFECYCLE,
        fulfilment,
        target,
        actor=actor,
        reason=reason,
        changes=changes,
        before_save=before_save,
    )
    locked = result.row
    if not result.moved:
        return locked, False
    settle_stock(locked, target, actor)
    if target in COMPLETED_STATUSES:
        # The goods left: the sale is split and booked, the store's share transferred.
        hooks.record_sale(fulfilment=locked, actor=actor)
    if target in RECEIVED_BY_CUSTOMER and locked.method != FulfilmentMethod.RESERVE_COLLECT:
        # The withdrawal period starts: the customer is told until when it runs.
        emails.send_received(locked, withdraw_until=part_deadlines([locked])[locked.pk].ends_at)
    _emit_step(locked, EVENT_OF_STATUS[target])
    return locked, True


def _emit_step(fulfilment: Fulfilment, event_type: str) -> None:
    """The step's webhook to the serving store's endpoints (and HQ's); a transfer's pickup
    store follows it too."""
    data = fulfilment_event_data(fulfilment)
    emit_event(
        event_type=event_type,
        store_id=fulfilment.store_id,
        event_id=f"{event_type}:{fulfilment.pk}",
        data=data,
    )
    if fulfilment.pickup_store_id is not None:
        emit_event(
            event_type=event_type,
            store_id=fulfilment.pickup_store_id,
            event_id=f"{event_type}:{fulfilment.pk}:pickup-store",
            data=data,
        )


def fulfilment_event_data(fulfilment: Fulfilment) -> dict[str, Any]:
    """What a webhook says of a fulfilment: enough for a POS or ERP to follow it."""
    return {
        "fulfilment": fulfilment.pk,
        "order": fulfilment.order.number or fulfilment.order_id,
        "store": fulfilment.store.slug,
        "pickup_store": fulfilment.pickup_store.slug if fulfilment.pickup_store_id else None,
        "method": fulfilment.method,
        "status": fulfilment.status,
        "carrier": fulfilment.carrier,
        "tracking_number": fulfilment.tracking_number,
        "lines": [
            {"sku": line.order_line.sku, "quantity": line.quantity}
            for line in fulfilment.lines.select_related("order_line")
        ],
    }


def after_step(fulfilment: Fulfilment, *, actor: Any, why: str | None = None) -> None:
    """The order-level consequences of a move: a lost fulfilment's lines go to the next
    candidate (or are cancelled); an end without a sale cancels its lines (refund, e-mail);
    then the order's status follows. Call it once per move that happened, in its transaction."""
    if fulfilment.status in LOST_STATUSES:
        reroute_lost_fulfilment(fulfilment=fulfilment, actor=actor)
    elif fulfilment.status in ENDS_WITHOUT_SALE:
        cancel_order_lines(
            order=fulfilment.order,
            quantities={line.order_line_id: line.quantity for line in fulfilment.lines.all()},
            why=why or ENDS_WITHOUT_SALE[fulfilment.status],
            key=f"fulfilment:{fulfilment.pk}:{fulfilment.status}",
            actor=actor,
            # The customer was in the store and chose not to buy: nothing to tell them.
            notify=fulfilment.status != S.NOT_PURCHASED,
        )
    if fulfilment.pickup_store_id is not None:
        hooks.settle_transfer(fulfilment=fulfilment, actor=actor)
    roll_up_order_status(order=fulfilment.order, actor=actor)
