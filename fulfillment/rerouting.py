"""A fulfilment the store refused or let time out: its lines go to the next candidate.

Home delivery (the engine chose the location): the lines are routed again with the pure engine
(orders.routing.reroute), every location that already refused or let this order time out left
out, the order's other parcels counted against HQ's maximum. Each new location gets a new
fulfilment with a fresh acceptance deadline and its own firm hold on the stock. Collect lines
(the customer chose the store) are not moved elsewhere: the engine finds their chosen store
excluded, and they are cancelled like any line no candidate can serve: counted, refunded, told.
A transfer's source that refused is left out the same way, but the pickup store stays the
customer's choice: the engine sends the line there from the next source (a new transfer), or
serves it there directly if it has the stock by now, else it is cancelled.

All of it runs in the transaction of the step that lost the fulfilment (reject or timeout),
which happens once: a crash anywhere leaves nothing half-done, and a retry does it all once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from network_marketplace.audit import record_audit_event
from network_marketplace.webhooks import emit_event
from orders.models import COLLECT_METHODS, FulfilmentMethod, Order, OrderPolicy, fulfilment_holder
from orders.routing import (
    DecisionKind,
    Point,
    RequestLine,
    RoutingRequest,
    RoutingResult,
    reroute,
)
from orders.services import (
    CancellationReason,
    acceptance_deadline,
    cancel_order_lines,
    record_routing,
    routing_policy,
)
from stores.models import Reservation, Store
from stores.selectors import postal_code_centroid
from stores.services import InsufficientStock, reserve_lines

from .models import Fulfilment, FulfilmentLine
from .routing_candidates import routing_candidates
from .states import LOST_STATUSES

logger = logging.getLogger(__name__)
S = Fulfilment.Status
# Routing again after a candidate's stock went between the read and the hold: this many tries.
HOLD_ATTEMPTS = 3


@dataclass
class Rerouted:
    fulfilments: list[Fulfilment] = field(default_factory=list)  # the new ones
    cancelled: dict[int, int] = field(default_factory=dict)  # order line id -> units cancelled


def reroute_lost_fulfilment(*, fulfilment: Fulfilment, actor: Any) -> Rerouted:
    """Send the lines of a REJECTED or TIMED_OUT fulfilment to the next candidate, or cancel
    them. Call it once, in the transaction that moved the fulfilment (which holds its lock)."""
    if fulfilment.status not in LOST_STATUSES:
        raise ValueError("Only a rejected or timed-out fulfilment is routed again.")
    order = Order.objects.select_for_update().get(pk=fulfilment.order_id)
    lines = list(fulfilment.lines.select_related("order_line__variant").order_by("order_line_id"))
    policy = OrderPolicy.current()
    rules = routing_policy(policy)
    others = Fulfilment.objects.filter(order=order).exclude(pk=fulfilment.pk)
    refused = {fulfilment.store_id} | set(
        others.filter(status__in=LOST_STATUSES).values_list("store_id", flat=True)
    )
    parcels_kept = len(
        set(
            others.filter(method=FulfilmentMethod.HOME_DELIVERY)
            .exclude(status__in={*LOST_STATUSES, S.CANCELLED})
            .values_list("store_id", flat=True)
        )
    )
    request = RoutingRequest(
        lines=tuple(
            RequestLine(
                variant_id=line.order_line.variant_id,
                quantity=line.quantity,
                method=line.order_line.method,
                chosen_store_id=line.order_line.chosen_store_id,
            )
            for line in lines
        ),
        customer=_delivery_point(order, fulfilment),
    )
    short: set[int] = set()  # candidates whose stock went between the read and the hold
    for _attempt in range(HOLD_ATTEMPTS):
        locations = routing_candidates(
            variant_ids={line.order_line.variant_id for line in lines},
            point=request.customer,
            radius_km=rules.max_distance_km,
            include_store_ids={
                line.order_line.chosen_store_id for line in lines if line.order_line.chosen_store_id
            },
            fairness_window=timedelta(days=policy.fairness_window_days),
        )
        result = reroute(
            request=request,
            locations=locations,
            policy=rules,
            excluded_location_ids=refused | short,
            parcels_kept=parcels_kept,
        )
        try:
            with transaction.atomic():
                made = _write_fulfilments(order, lines, result, policy, actor)
        except InsufficientStock as error:
            short.add(error.facts["store_id"])
            continue
        break
    else:
        logger.warning(
            "fulfilment %s: the candidates' stock kept changing; its lines are cancelled",
            fulfilment.pk,
        )
        made, result = {}, None
    outcome = Rerouted(fulfilments=list(made.values()))
    served = set()
    if result is not None:
        record_routing(
            order=order,
            reason=str(fulfilment.status),
            result=result,
            fulfilment=fulfilment.pk,
            store=fulfilment.store_id,
        )
        served = {index for index, decision in enumerate(result.decisions) if decision.is_served}
    for index, line in enumerate(lines):
        if index not in served:
            outcome.cancelled[line.order_line_id] = (
                outcome.cancelled.get(line.order_line_id, 0) + line.quantity
            )
    if outcome.cancelled:
        timed_out = fulfilment.status == S.TIMED_OUT
        if fulfilment.method in COLLECT_METHODS:
            # The customer chose this store: they are told it, not that "no store" could.
            why = (
                CancellationReason.PICKUP_NOT_CONFIRMED
                if timed_out
                else CancellationReason.PICKUP_REFUSED
            )
        else:
            why = CancellationReason.TIMED_OUT if timed_out else CancellationReason.REJECTED
        cancel_order_lines(
            order=order,
            quantities=outcome.cancelled,
            why=why,
            key=f"fulfilment:{fulfilment.pk}:lost",
            actor=actor,
        )
    record_audit_event(
        actor=actor,
        action="fulfilment.rerouted",
        target=fulfilment,
        store_id=fulfilment.store_id,
        data={
            "order": order.pk,
            "new_fulfilments": [new.pk for new in outcome.fulfilments],
            "cancelled": outcome.cancelled,
            "excluded": sorted(refused | short),
        },
    )
    return outcome


def _delivery_point(order: Order, fulfilment: Fulfilment) -> Point:
    """Where the parcel goes (the centroid of the delivery postal code, as at checkout); the
    lost location's own place when the order has no known delivery point (collect only)."""
    home = order.postal_code and postal_code_centroid(order.postal_code)
    if home:
        return Point(*home)
    store = fulfilment.collect_store  # a transfer's sources are sought around its pickup store
    return Point(float(store.latitude), float(store.longitude))


def _write_fulfilments(
    order: Order,
    lines: list[FulfilmentLine],
    result: RoutingResult,
    policy: OrderPolicy,
    actor: Any,
) -> dict[tuple[int, str, int | None], Fulfilment]:
    """One new fulfilment per (location, method) of the served decisions, each with its
    deadline, its lines and its firm hold. Raises InsufficientStock (nothing kept: the caller's
    savepoint) when a candidate's units went meanwhile."""
    now = timezone.now()
    stores = Store.objects.in_bulk(
        {a.location_id for d in result.decisions if d.is_served for a in d.allocations}
        | {d.location_id for d in result.decisions if d.kind == DecisionKind.TRANSFER}
    )
    made: dict[tuple[int, str, int | None], Fulfilment] = {}
    holds: dict[int, list] = {}
    for line, decision in zip(lines, result.decisions, strict=True):
        if not decision.is_served:
            continue
        order_line = line.order_line
        pickup = stores[decision.location_id] if decision.kind == DecisionKind.TRANSFER else None
        for allocation in decision.allocations:
            store = stores[allocation.location_id]
            key = (store.pk, order_line.method, pickup.pk if pickup else None)
            if key not in made:
                made[key] = Fulfilment.objects.create(
                    order=order,
                    store=store,
                    method=order_line.method,
                    pickup_store=pickup,
                    accept_deadline=acceptance_deadline(store, policy, start=now),
                )
            FulfilmentLine.objects.create(
                fulfilment=made[key], order_line=order_line, quantity=allocation.quantity
            )
            holds.setdefault(made[key].pk, []).append(
                (store, order_line.variant, allocation.quantity)
            )
    for new in made.values():
        reserve_lines(
            lines=holds[new.pk],
            holder=fulfilment_holder(new.pk),
            kind=Reservation.Kind.ORDER,
            ttl=None,
            actor=actor,
        )
    for new in made.values():
        emit_event(
            event_type="fulfillment.created",
            store_id=new.store_id,
            event_id=f"fulfillment.created:{new.pk}",
            data={
                "fulfilment": new.pk,
                "order": order.number,
                "method": new.method,
                "pickup_store": new.pickup_store.slug if new.pickup_store else None,
                "rerouted": True,
            },
        )
    return made
