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
and the pickup store back where it was (fulfillment/services/stock.py, in the move's
transaction). A transfer that ends without a sale after arriving
(not collected, cancelled) leaves the units on sale at the pickup store, where they are.

A source that rejects or lets the deadline pass: fulfillment/rerouting.py sends the line to the
next source candidate (the pickup store stays the customer's choice), else it is cancelled,
refunded and told like any collect line.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from network_marketplace.errors import DomainError
from stores.models import Store

from .carriers import carrier_name
from .models import Fulfilment
from .services.moves import after_step, move_fulfilment

S = Fulfilment.Status
# What a transfer sent without a carrier is recorded as.
INTERNAL_SHUTTLE = "internal_shuttle"
INTERNAL_SHUTTLE_LABEL = gettext_lazy("Internal shuttle")


def ship_transfer(
    *,
    fulfilment: Fulfilment,
    actor: Any,
    carrier: str = "",
    tracking_number: str = "",
    at_store: Store | None = None,
) -> Fulfilment:
    """The source store sent the picked goods to the pickup store: with a carrier and its
    tracking number, or (no carrier) by the internal shuttle. The held units leave the source's
    stock ("transfer_out"). Idempotent; IllegalTransition before the goods are picked."""
    carrier, tracking_number = carrier.strip(), tracking_number.strip()
    if tracking_number and not carrier:
        raise DomainError(_("Name the carrier of this tracking number."))
    if carrier and carrier != INTERNAL_SHUTTLE and not tracking_number:
        raise DomainError(_("A carrier needs a tracking number; or send it by internal shuttle."))
    with transaction.atomic():
        fulfilment, moved = move_fulfilment(
            fulfilment=fulfilment,
            target=S.IN_TRANSIT,
            actor=actor,
            at_store=at_store,
            carrier=carrier or INTERNAL_SHUTTLE,
            tracking_number=tracking_number,
            transfer_shipped_at=timezone.now(),
        )
        if moved:
            after_step(fulfilment, actor=actor)
    return fulfilment


def receive_transfer(
    *, fulfilment: Fulfilment, actor: Any, at_store: Store | None = None
) -> Fulfilment:
    """The pickup store received the goods: they come into its stock, held for the order (a
    reserve & collect hold starts its time now). Then it marks them ready as usual; the customer
    is told only then. Idempotent; IllegalTransition before the source sent them."""
    with transaction.atomic():
        fulfilment, moved = move_fulfilment(
            fulfilment=fulfilment,
            target=S.RECEIVED,
            actor=actor,
            at_store=at_store,
            transfer_received_at=timezone.now(),
        )
        if moved:
            after_step(fulfilment, actor=actor)
    return fulfilment


def transfer_carrier_label(fulfilment: Fulfilment) -> str:
    """How the goods travel between the stores, for pages and the API."""
    if fulfilment.carrier == INTERNAL_SHUTTLE:
        return str(INTERNAL_SHUTTLE_LABEL)
    return carrier_name(fulfilment.carrier)
