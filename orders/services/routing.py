"""The routing side of an order: HQ's rules for the engine, the stores' deadline to accept, and
the record of each routing decision kept with the order."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from stores.models import Store
from stores.selectors import opening_time_after

from ..models import Order, OrderPolicy
from ..routing import RoutingPolicy, RoutingResult


def acceptance_window(store: Store, policy: OrderPolicy) -> timedelta:
    """How long a store has to accept a routed fulfilment: its own setting, else HQ's."""
    minutes = store.accept_within_minutes or policy.accept_within_minutes
    return timedelta(minutes=minutes)


def acceptance_deadline(store: Store, policy: OrderPolicy, *, start: datetime) -> datetime:
    """When a store must have accepted a fulfilment routed to it at `start`: its acceptance
    window counted in its opening time (special days included), so an order placed while it is
    closed waits for it to open; clock time for a location that publishes no hours (a
    warehouse). The customer's promise (checkout.selectors.promises) is this moment."""
    window = acceptance_window(store, policy)
    return opening_time_after(store=store, start=start, duration=window) or start + window


def routing_policy(policy: OrderPolicy) -> RoutingPolicy:
    """HQ's routing rules, as set in the order policy, for the routing engine."""
    return RoutingPolicy(
        distance_weight=float(policy.distance_weight),
        stock_depth_weight=float(policy.stock_depth_weight),
        load_weight=float(policy.load_weight),
        fairness_weight=float(policy.fairness_weight),
        max_parcels=policy.max_parcels,
        max_distance_km=float(policy.max_distance_km),
        warehouse_first=policy.warehouse_first,
        transfer_for_collect=policy.transfer_for_collect,
        transfer_delay_days=policy.transfer_delay_days,
        collect_delay_days=policy.collect_delay_days,
        warehouse_delivery_days=policy.warehouse_delivery_days,
        store_delivery_days=policy.store_delivery_days,
    )


def record_routing(*, order: Order, reason: str, result: RoutingResult, **facts: Any) -> None:
    """Append a routing decision (a re-route after a refusal or a timeout) to the order's
    `routing_log`, as {"at", "reason", "result", **facts}. The caller holds the order's lock."""
    entry = {
        "at": timezone.now().isoformat(),
        "reason": reason,
        **facts,
        "result": result.as_dict(),
    }
    order.routing_log = [*(order.routing_log or []), entry]
    order.save(update_fields=["routing_log", "updated_at"])
