"""Lifecycles of the fulfillment app, in one place: a fulfilment's allowed moves (and which
flows each applies to: a method, or a collect method served by a store-to-store transfer), which
store performs each move of a transfer, and a return's lifecycle."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from network_marketplace.errors import IllegalTransition
from network_marketplace.transitions import Lifecycle
from orders.models import FulfilmentMethod

from .models import Fulfilment, FulfilmentEvent, Return, ReturnEvent

S = Fulfilment.Status
HOME = {FulfilmentMethod.HOME_DELIVERY}
CLICK = {FulfilmentMethod.CLICK_COLLECT}
RESERVE = {FulfilmentMethod.RESERVE_COLLECT}
COLLECT = CLICK | RESERVE
# A collect line the chosen store had no stock for: another store sells it and sends it there.
TRANSFER_SUFFIX = "+transfer"
CLICK_BY_TRANSFER = {f"{FulfilmentMethod.CLICK_COLLECT}{TRANSFER_SUFFIX}"}
RESERVE_BY_TRANSFER = {f"{FulfilmentMethod.RESERVE_COLLECT}{TRANSFER_SUFFIX}"}
TRANSFER = CLICK_BY_TRANSFER | RESERVE_BY_TRANSFER
ALL = HOME | COLLECT | TRANSFER

# (from, to) -> the flows for which the move is allowed.
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
    # A transfer: the source store sends the goods, the pickup store receives them (the goods
    # are between two stores meanwhile: nothing may cancel them), then it's a collect.
    (S.PICKED, S.IN_TRANSIT): TRANSFER,
    (S.IN_TRANSIT, S.RECEIVED): TRANSFER,
    (S.RECEIVED, S.READY_FOR_PICKUP): TRANSFER,
    (S.RECEIVED, S.CANCELLED): TRANSFER,
    (S.READY_FOR_PICKUP, S.COLLECTED): CLICK | CLICK_BY_TRANSFER,
    (S.READY_FOR_PICKUP, S.PURCHASED_IN_STORE): RESERVE | RESERVE_BY_TRANSFER,
    (S.READY_FOR_PICKUP, S.NOT_PURCHASED): RESERVE | RESERVE_BY_TRANSFER,
    (S.READY_FOR_PICKUP, S.UNCOLLECTED): COLLECT | TRANSFER,
    (S.READY_FOR_PICKUP, S.CANCELLED): ALL,
}

# Who performs the moves of a transfer: the source store up to sending the goods, the pickup
# store from their arrival. Any other move (cancellation, timeouts) is not a store's.
SOURCE_STORE_MOVES = {S.ACCEPTED, S.REJECTED, S.PICKED, S.IN_TRANSIT}
PICKUP_STORE_MOVES = {
    S.RECEIVED,
    S.READY_FOR_PICKUP,
    S.COLLECTED,
    S.PURCHASED_IN_STORE,
    S.NOT_PURCHASED,
}

OPEN_STATUSES = {
    S.AWAITING_ACCEPTANCE,
    S.ACCEPTED,
    S.PICKED,
    S.IN_TRANSIT,
    S.RECEIVED,
    S.READY_FOR_PICKUP,
}
# The fulfilment's goods left the store with the customer or the carrier: the sale is made.
COMPLETED_STATUSES = {S.COLLECTED, S.SHIPPED, S.DELIVERED, S.PURCHASED_IN_STORE}
# The goods reached the customer, or are on their way to them, after a distance sale: what a
# customer may send back within the withdrawal period. Reserve & collect is paid in store.
RETURNABLE_STATUSES = {S.COLLECTED, S.SHIPPED, S.DELIVERED}
# Ends that give the stock back and, for a routed line, may send it to another location.
LOST_STATUSES = {S.REJECTED, S.TIMED_OUT}


def flow_of(fulfilment: Fulfilment) -> str:
    """The fulfilment's method, marked when a transfer serves it."""
    suffix = TRANSFER_SUFFIX if fulfilment.pickup_store_id is not None else ""
    return f"{fulfilment.method}{suffix}"


def can_move(fulfilment: Fulfilment, target: str) -> bool:
    return flow_of(fulfilment) in TRANSITIONS.get((fulfilment.status, target), set())


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


def store_performs(fulfilment: Fulfilment, store_id: int | None, target: str) -> bool:
    """Whether the store `store_id` (None: HQ, which may act for either) performs this move.
    Without a transfer the serving store performs every move."""
    if store_id is None or fulfilment.pickup_store_id is None:
        return True
    if target in SOURCE_STORE_MOVES:
        return store_id == fulfilment.store_id
    if target in PICKUP_STORE_MOVES:
        return store_id == fulfilment.pickup_store_id
    return False


def check_store_performs(fulfilment: Fulfilment, store_id: int | None, target: str) -> None:
    """A transfer's moves belong to one side each: the pickup store can't accept for the
    source, the source can't hand over at the pickup store (IllegalTransition)."""
    if store_performs(fulfilment, store_id, target):
        return
    side = fulfilment.store if target in SOURCE_STORE_MOVES else fulfilment.pickup_store
    raise IllegalTransition(
        _("This step of the transfer is for %(store)s to do.") % {"store": side.name},
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


def _fulfilment_moves() -> dict[str, set[str]]:
    moves: dict[str, set[str]] = {}
    for current, target in TRANSITIONS:
        moves.setdefault(current, set()).add(target)
    return moves


class FlowLifecycle(Lifecycle[Fulfilment]):
    """A fulfilment's lifecycle: `moves` is every flow's table (for reading); the check is the
    fulfilment's own flow's (method, and transfer or not), and its refusal names the method."""

    def check_move(self, row: Fulfilment, target: str) -> None:
        check_fulfilment_transition(row, target)


# The table of moves for any flow; `check_fulfilment_transition` narrows it to the fulfilment's
# own flow. Webhooks are sent by the steps (fulfillment/services/moves.py), which know what a POS
# needs of the fulfilment, and not when an unpaid order's fulfilments are voided.
FULFILMENT_LIFECYCLE = FlowLifecycle(
    name="fulfilment",
    model=Fulfilment,
    moves=_fulfilment_moves(),
    event_model=FulfilmentEvent,
    event_parent="fulfilment",
    store_of=lambda fulfilment: fulfilment.store_id,
    check=check_fulfilment_transition,
    audit_data=lambda fulfilment: {"order": fulfilment.order_id},
)

RETURN_LIFECYCLE = Lifecycle(
    name="return",
    model=Return,
    moves=RETURN_TRANSITIONS,
    event_model=ReturnEvent,
    event_parent="return_request",
    store_of=lambda return_request: return_request.store_id,
    audit_data=lambda return_request: {"order": return_request.order_id},
    illegal_message=gettext_lazy("A return can't go from “%(current)s” to “%(target)s”."),
)
