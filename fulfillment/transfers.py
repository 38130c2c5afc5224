"""Store-to-store transfers: a collect line whose chosen store lacked the stock.

One fulfilment carries the whole path. `store` is the source: it holds the stock from checkout
(a firm hold), accepts before its deadline, picks, and sends the goods to `pickup_store` (by a
carrier with a tracking number, or by the network's internal shuttle). The pickup store receives
them, then it is a click & collect (ready with a pickup code, hand over) or a reserve & collect
(outcome) there. The sale (and the commission) is the source store's, the handover the pickup
store's: both are on the fulfilment. The moves are in fulfillment/states.py (the "+transfer"
flows), and which side performs each (`check_store_performs`).

Stock (design brief, "Stock truth"): sending consumes the source's hold, on hand down by the
quantity ("transfer_out"); receiving adds the units to the pickup store's on hand ("transfer_in")
and holds them for the order in the same statement's transaction, so its `available` never
moves; the handover sells them there ("sale"). At the end the source is down by the quantity
and the pickup store back where it was. A transfer that ends without a sale after arriving
(not collected, cancelled) leaves the units on sale at the pickup store, where they are.

A source that rejects or lets the deadline pass: fulfillment/rerouting.py sends the line to the
next source candidate (the pickup store stays the customer's choice), else it is cancelled,
refunded and told like any collect line.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from network_marketplace.errors import DomainError
from orders.models import FulfilmentMethod, OrderPolicy, fulfilment_holder
from stores.models import Reservation, StockMovement, Store
from stores.services import consume_reservation, receive_transferred_stock

from .models import Fulfilment

S = Fulfilment.Status
# What a transfer sent without a carrier is recorded as.
INTERNAL_SHUTTLE = "internal_shuttle"
INTERNAL_SHUTTLE_LABEL = gettext_lazy("Internal shuttle")


def ship_transfer(
    *,
    fulfilment: Fulfilment,
    actor,
    carrier: str = "",
    tracking_number: str = "",
    at_store: Store | None = None,
) -> Fulfilment:
    """The source store sent the picked goods to the pickup store: with a carrier and its
    tracking number, or (no carrier) by the internal shuttle. The held units leave the source's
    stock ("transfer_out"). Idempotent; IllegalTransition before the goods are picked."""
    from .services import _after_step, _move  # the one way a fulfilment moves

    carrier, tracking_number = carrier.strip(), tracking_number.strip()
    if tracking_number and not carrier:
        raise DomainError(_("Name the carrier of this tracking number."))
    if carrier and carrier != INTERNAL_SHUTTLE and not tracking_number:
        raise DomainError(_("A carrier needs a tracking number; or send it by internal shuttle."))
    with transaction.atomic():
        fulfilment, moved = _move(
            fulfilment,
            S.IN_TRANSIT,
            actor=actor,
            at_store=at_store,
            carrier=carrier or INTERNAL_SHUTTLE,
            tracking_number=tracking_number,
            transfer_shipped_at=timezone.now(),
        )
        if moved:
            _after_step(fulfilment, actor=actor)
    return fulfilment


def receive_transfer(*, fulfilment: Fulfilment, actor, at_store: Store | None = None) -> Fulfilment:
    """The pickup store received the goods: they come into its stock, held for the order (a
    reserve & collect hold starts its time now). Then it marks them ready as usual; the customer
    is told only then. Idempotent; IllegalTransition before the source sent them."""
    from .services import _after_step, _move  # the one way a fulfilment moves

    with transaction.atomic():
        fulfilment, moved = _move(
            fulfilment,
            S.RECEIVED,
            actor=actor,
            at_store=at_store,
            transfer_received_at=timezone.now(),
        )
        if moved:
            _after_step(fulfilment, actor=actor)
    return fulfilment


def settle_transfer_stock(fulfilment: Fulfilment, target: str, actor) -> bool:
    """The stock side of a transfer's move (called by the step's `_move`, in its transaction):
    True when it handled the move, False for the common handling (sale at the handover,
    stock given back on an end without a sale: the holds are the order's wherever they are)."""
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


def transfer_carrier_label(fulfilment: Fulfilment) -> str:
    """How the goods travel between the stores, for pages and the API."""
    from .carriers import carrier_name

    if fulfilment.carrier == INTERNAL_SHUTTLE:
        return str(INTERNAL_SHUTTLE_LABEL)
    return carrier_name(fulfilment.carrier)
