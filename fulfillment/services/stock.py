"""What a fulfilment's move does to the stock held for it, in the move's transaction.

The held units leave the store when the goods do (a sale movement each), and go back to
available stock when the fulfilment ends without a sale. A transfer's units leave the source
store when sent ("transfer_out") and come into the pickup store's stock, held for the order, when
received ("transfer_in", fulfillment/transfers.py says why). Stock rows are the last locks a move
takes, in (store, variant) order like every other writer of stock.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db.models import Min

from orders.models import FulfilmentMethod, OrderPolicy, fulfilment_holder
from stores.models import Reservation, StockMovement
from stores.services import consume_reservation, receive_transferred_stock, release_holder

from ..models import Fulfilment
from ..states import COMPLETED_STATUSES

S = Fulfilment.Status

# Ends that give the held stock back to the store.
GIVES_STOCK_BACK = {S.REJECTED, S.TIMED_OUT, S.CANCELLED, S.UNCOLLECTED, S.NOT_PURCHASED}


def settle_stock(fulfilment: Fulfilment, target: str, actor: Any) -> None:
    """The stock side of the move `fulfilment` just made to `target` (called by
    `move_fulfilment`, which holds the fulfilment's and the order's locks)."""
    holder = fulfilment_holder(fulfilment.pk)
    if settle_transfer_stock(fulfilment, target, actor):
        return
    if target in COMPLETED_STATUSES:
        holds = (
            Reservation.objects.active().filter(holder=holder).order_by("store_id", "variant_id")
        )
        for hold in holds:
            consume_reservation(
                reservation=hold, actor=actor, reference=fulfilment.order.number or ""
            )
    elif target in GIVES_STOCK_BACK:
        release_holder(holder=holder, actor=actor)


def settle_transfer_stock(fulfilment: Fulfilment, target: str, actor: Any) -> bool:
    """The stock side of a transfer's move: True when it handled the move, False for the
    common handling (sale at the handover, stock given back on an end without a sale: the holds
    are the order's wherever they are)."""
    if fulfilment.pickup_store_id is None or target not in {S.IN_TRANSIT, S.RECEIVED}:
        return False
    holder = fulfilment_holder(fulfilment.pk)
    reference = fulfilment.order.number or ""
    if target == S.IN_TRANSIT:
        holds = (
            Reservation.objects.active()
            .filter(holder=holder, store_id=fulfilment.store_id)
            .order_by("store_id", "variant_id")
        )
        for hold in holds:
            consume_reservation(
                reservation=hold,
                actor=actor,
                reference=reference,
                reason=StockMovement.Reason.TRANSFER_OUT,
            )
        return True
    reserve = fulfilment.method == FulfilmentMethod.RESERVE_COLLECT
    kind = Reservation.Kind.RESERVE_COLLECT if reserve else Reservation.Kind.ORDER
    ttl = timedelta(hours=OrderPolicy.current().reserve_hold_hours) if reserve else None
    lines = fulfilment.lines.select_related("order_line__variant").order_by(
        "order_line__variant_id", "pk"
    )
    for line in lines:
        receive_transferred_stock(
            store=fulfilment.pickup_store,
            variant=line.order_line.variant,
            quantity=line.quantity,
            holder=holder,
            kind=kind,
            ttl=ttl,
            actor=actor,
            reference=reference,
        )
    return True


def reserve_collect_hold_until(fulfilment: Fulfilment) -> datetime | None:
    """When the stock held for a reserve & collect fulfilment stops being held (None: no
    hold left)."""
    return (
        Reservation.objects.filter(
            holder=fulfilment_holder(fulfilment.pk), kind=Reservation.Kind.RESERVE_COLLECT
        )
        .exclude(status__in=[Reservation.Status.RELEASED, Reservation.Status.CONSUMED])
        .aggregate(until=Min("expires_at"))["until"]
    )
