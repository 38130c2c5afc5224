"""Home-delivery lines, routed together as a demand per variant: the warehouse when it has every
line (warehouse first), else the best single location, else a split (see `splitting`)."""

from __future__ import annotations

from collections.abc import Mapping

from stores.geo import distance_km

from .inputs import (
    DecisionKind,
    HomeDeliveryPlan,
    Ineligibility,
    Location,
    Point,
    RequestLine,
    RoutingPolicy,
    UnavailableReason,
)
from .outputs import Allocation, CandidateScore, RoutingDecision
from .scoring import Stock, audit_order, rank_key, score_candidate, shipping_ineligibility
from .splitting import fewest_locations_serving_whole, split_greedily


def route_home_delivery(
    home_lines: list[tuple[int, RequestLine]],
    customer: Point,
    by_id: Mapping[int, Location],
    stock: Stock,
    policy: RoutingPolicy,
    excluded: frozenset[int],
    max_parcels: int,
) -> tuple[dict[int, RoutingDecision], HomeDeliveryPlan]:
    """Place the home-delivery lines, routed together as a demand per variant."""
    demand: dict[int, int] = {}
    for _index, line in home_lines:
        demand[line.variant_id] = demand.get(line.variant_id, 0) + line.quantity
    variants = list(demand)  # in the order of the lines
    wanted = tuple(demand.values())

    eligible: list[tuple[Location, float]] = []
    held: dict[int, tuple[int, ...]] = {}  # units left per variant, for the eligible
    left_out: list[CandidateScore] = []
    for location in by_id.values():
        units = stock.held(location.store_id, variants)
        if not any(units):
            continue
        distance = distance_km(
            customer.latitude, customer.longitude, location.latitude, location.longitude
        )
        reason = shipping_ineligibility(location, excluded, distance, policy)
        if reason is None and location.home_delivery_suspended and not location.is_warehouse:
            reason = Ineligibility.HOME_DELIVERY_SUSPENDED
        if reason is None:
            eligible.append((location, distance))
            held[location.store_id] = units
        else:
            left_out.append(
                CandidateScore(
                    location_id=location.store_id,
                    kind=location.kind,
                    distance_km=distance,
                    ineligibility=reason,
                )
            )
    busiest = max((location.recent_routed for location, _ in eligible), default=0)
    scores = {
        location.store_id: score_candidate(
            location, distance, wanted, held[location.store_id], busiest, policy
        )
        for location, distance in eligible
    }
    candidates = audit_order(list(scores.values()), left_out)
    # The order in which locations are preferred: the warehouse first if HQ says so, then by score.
    preferred = sorted(
        (location for location, _ in eligible),
        key=lambda location: (
            not (policy.warehouse_first and location.is_warehouse),
            *rank_key(scores[location.store_id]),
        ),
    )

    plan, allocations = _plan_home_delivery(
        variants, demand, preferred, held, stock, policy, max_parcels
    )
    for variant_id, taken in allocations.items():
        for location_id, quantity in taken:
            stock.take(location_id, variant_id, quantity)

    decisions = {}
    remaining = {variant_id: list(taken) for variant_id, taken in allocations.items()}
    for index, line in home_lines:
        if line.variant_id not in allocations:
            bit = variants.index(line.variant_id)
            short = sum(units[bit] for units in held.values()) < demand[line.variant_id]
            decisions[index] = RoutingDecision(
                line_index=index,
                line=line,
                kind=DecisionKind.UNAVAILABLE,
                unavailable_reason=UnavailableReason.OUT_OF_STOCK
                if short
                else UnavailableReason.PARCEL_LIMIT,
                candidates=candidates,
            )
            continue
        line_allocations = _take_for_line(remaining[line.variant_id], line.quantity)
        delay = max(
            policy.warehouse_delivery_days
            if by_id[allocation.location_id].is_warehouse
            else policy.store_delivery_days
            for allocation in line_allocations
        )
        decisions[index] = RoutingDecision(
            line_index=index,
            line=line,
            kind=DecisionKind.DIRECT,
            location_id=line_allocations[0].location_id if len(line_allocations) == 1 else None,
            allocations=line_allocations,
            delay_days=delay,
            candidates=candidates,
        )
    return decisions, plan


def _take_for_line(pool: list[tuple[int, int]], quantity: int) -> tuple[Allocation, ...]:
    """Give a line `quantity` units from its variant's allocations, first come first served."""
    taken = []
    while quantity:
        location_id, units = pool[0]
        given = min(units, quantity)
        taken.append(Allocation(location_id, given))
        quantity -= given
        if given == units:
            pool.pop(0)
        else:
            pool[0] = (location_id, units - given)
    return tuple(taken)


def _plan_home_delivery(
    variants: list[int],
    demand: Mapping[int, int],
    preferred: list[Location],
    held: Mapping[int, tuple[int, ...]],
    stock: Stock,
    policy: RoutingPolicy,
    max_parcels: int,
) -> tuple[HomeDeliveryPlan, dict[int, list[tuple[int, int]]]]:
    """Which locations give how many units of each variant: {variant: [(location, units)]}.

    Variants absent from the answer are unavailable. `preferred` is the candidates' order of
    preference (warehouse first when HQ says so, then best score); `held` their units left of
    each variant. Reads `stock`, takes nothing.
    """
    if max_parcels < 1 or not preferred:
        return HomeDeliveryPlan.UNAVAILABLE, {}
    full = (1 << len(variants)) - 1
    quantities = [demand[variant_id] for variant_id in variants]
    covers = {}
    for location in preferred:
        mask = 0
        for bit, (units, quantity) in enumerate(
            zip(held[location.store_id], quantities, strict=True)
        ):
            if units >= quantity:
                mask |= 1 << bit
        covers[location.store_id] = mask

    # 1-2. One location serves every line: the first in order of preference.
    for location in preferred:
        if covers[location.store_id] == full:
            plan = (
                HomeDeliveryPlan.WAREHOUSE
                if location.is_warehouse
                else HomeDeliveryPlan.SINGLE_LOCATION
            )
            return plan, {
                variant_id: [(location.store_id, demand[variant_id])] for variant_id in variants
            }

    # 3a. The fewest locations that serve every line whole.
    whole = fewest_locations_serving_whole(variants, covers, preferred, policy, max_parcels)
    if whole is not None:
        return HomeDeliveryPlan.SPLIT_ORDER, {
            variant_id: [(location_id, demand[variant_id])]
            for variant_id, location_id in whole.items()
        }

    # 3b. Greedy: whole lines to the locations that serve the most of them, then split the rest.
    return split_greedily(variants, demand, covers, preferred, stock, policy, max_parcels)
