"""The routing engine's two entry points: route an order, and route again after a refusal."""

from __future__ import annotations

from collections.abc import Iterable

from ..methods import COLLECT_METHODS, FulfilmentMethod
from .collect import route_collect
from .home_delivery import route_home_delivery
from .inputs import HomeDeliveryPlan, Location, RoutingPolicy, RoutingRequest
from .outputs import RoutingDecision, RoutingResult
from .scoring import Stock


def route_order(
    *,
    request: RoutingRequest,
    locations: Iterable[Location],
    policy: RoutingPolicy,
    excluded_location_ids: Iterable[int] = (),
    max_parcels: int | None = None,
) -> RoutingResult:
    """Decide the serving location of every line of `request` among `locations`.

    `excluded_location_ids` are locations that must not serve this order (they refused it or
    let it time out). `max_parcels` overrides the policy's maximum (see `reroute`). Every line
    comes back either fully served or unavailable; no location gives more units than it has.
    """
    excluded = frozenset(excluded_location_ids)
    by_id: dict[int, Location] = {}
    for location in sorted(locations, key=lambda location: location.store_id):
        if location.store_id in by_id:
            raise ValueError(f"Location {location.store_id} is given twice.")
        by_id[location.store_id] = location
    stock = Stock(by_id)
    decisions: dict[int, RoutingDecision] = {}

    for index, line in enumerate(request.lines):
        if line.method in COLLECT_METHODS:
            decisions[index] = route_collect(index, line, by_id, stock, policy, excluded)

    home_lines = [
        (index, line)
        for index, line in enumerate(request.lines)
        if line.method is FulfilmentMethod.HOME_DELIVERY
    ]
    plan = HomeDeliveryPlan.NONE
    if home_lines:
        parcel_limit = policy.max_parcels if max_parcels is None else max_parcels
        home_decisions, plan = route_home_delivery(
            home_lines, request.customer, by_id, stock, policy, excluded, parcel_limit
        )
        decisions.update(home_decisions)

    return RoutingResult(
        decisions=tuple(decisions[index] for index in range(len(request.lines))),
        policy=policy,
        home_delivery_plan=plan,
        excluded_location_ids=excluded,
    )


def reroute(
    *,
    request: RoutingRequest,
    locations: Iterable[Location],
    policy: RoutingPolicy,
    excluded_location_ids: Iterable[int],
    parcels_kept: int = 0,
) -> RoutingResult:
    """Route again after locations refused or let the order time out: the next candidate.

    `request` holds the lines to place again (those of the refused fulfilment);
    `excluded_location_ids` every location that refused this order so far; `parcels_kept` the
    order's parcels still going out, which count against HQ's maximum. A collect line whose
    chosen store refused is unavailable (the customer cannot collect there).
    """
    excluded = frozenset(excluded_location_ids)
    if not excluded:
        raise ValueError("Rerouting excludes at least the location that refused.")
    return route_order(
        request=request,
        locations=locations,
        policy=policy,
        excluded_location_ids=excluded,
        max_parcels=max(policy.max_parcels - parcels_kept, 0),
    )
