"""A new order's fulfilments: opened by the checkout before the payment (one per serving
location, method and pickup store), and their acceptance clocks started once it is paid.

The checkout decides what serves what (orders.routing); this module is the one writer of the
fulfilment rows it asks for, so that every fulfilment is born the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch

from network_marketplace.db import hand_over_related
from orders.models import Order, OrderLine
from stores.models import Store

from ..models import Fulfilment, FulfilmentLine


@dataclass(frozen=True)
class Allocation:
    """Units of an order line that one location serves (a transfer: to `pickup_store`)."""

    order_line: OrderLine
    location: Store
    method: str
    quantity: int
    pickup_store: Store | None = None


def open_fulfilments(
    *, order: Order, allocations: Iterable[Allocation]
) -> list[tuple[Fulfilment, Allocation]]:
    """One fulfilment, awaiting acceptance, per (location, method, pickup store), with a line
    per allocation; returns each allocation with its fulfilment, in the order given. The
    acceptance deadline is not set: it starts when the order is paid (start_acceptance_clocks).
    Each fulfilment comes with its store and its lines in hand (`fulfilment.lines.all()` reads
    nothing), as start_acceptance_clocks would load them."""
    fulfilments: dict[tuple[int, str, int | None], Fulfilment] = {}
    lines: dict[tuple[int, str, int | None], list[FulfilmentLine]] = {}
    opened = []
    for allocation in allocations:
        pickup = allocation.pickup_store
        key = (allocation.location.pk, allocation.method, pickup.pk if pickup else None)
        if key not in fulfilments:
            fulfilments[key] = Fulfilment.objects.create(
                order=order,
                store=allocation.location,
                method=allocation.method,
                pickup_store=pickup,
            )
            lines[key] = []
        lines[key].append(
            FulfilmentLine.objects.create(
                fulfilment=fulfilments[key],
                order_line=allocation.order_line,
                quantity=allocation.quantity,
            )
        )
        opened.append((fulfilments[key], allocation))
    for key, fulfilment in fulfilments.items():
        hand_over_related(fulfilment, "lines", lines[key])
    return opened


def start_acceptance_clocks(
    *,
    order: Order,
    deadline_for: Callable[[Store], datetime],
    in_hand: list[Fulfilment] | None = None,
) -> list[Fulfilment]:
    """Give each of the order's fulfilments its deadline to be accepted (`deadline_for` its
    store) and return them with their stores and lines' variants loaded. The caller holds the
    order's lock. `in_hand`: the order's fulfilments as open_fulfilments returned them, in
    the caller's hands since (the checkout's), instead of reading them again."""
    fulfilments = (
        sorted(in_hand, key=lambda fulfilment: fulfilment.pk)
        if in_hand is not None
        else list(
            Fulfilment.objects.filter(order=order)
            .select_related("store", "pickup_store")
            .prefetch_related(
                Prefetch("lines", FulfilmentLine.objects.select_related("order_line__variant"))
            )
        )
    )
    for fulfilment in fulfilments:
        fulfilment.accept_deadline = deadline_for(fulfilment.store)
    if len(fulfilments) == 1:  # the usual checkout: a plain UPDATE costs less to build
        Fulfilment.objects.filter(pk=fulfilments[0].pk).update(
            accept_deadline=fulfilments[0].accept_deadline
        )
    else:
        Fulfilment.objects.bulk_update(fulfilments, ["accept_deadline"])
    return fulfilments
