"""Collect lines: the store the customer chose, else a transfer into it from the best other
location that has the whole line, else unavailable."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from stores.geo import distance_km

from .inputs import (
    DecisionKind,
    Ineligibility,
    Location,
    RequestLine,
    RoutingPolicy,
    UnavailableReason,
)
from .outputs import Allocation, CandidateScore, RoutingDecision
from .scoring import Stock, audit_order, rank_key, score_candidate, shipping_ineligibility


def route_collect(
    index: int,
    line: RequestLine,
    by_id: Mapping[int, Location],
    stock: Stock,
    policy: RoutingPolicy,
    excluded: frozenset[int],
) -> RoutingDecision:
    """The chosen store, else a transfer into it from the best other location, else nothing."""
    chosen = by_id.get(line.chosen_store_id)
    unavailable = {"line_index": index, "line": line, "kind": DecisionKind.UNAVAILABLE}
    if chosen is None:
        return RoutingDecision(
            **unavailable, unavailable_reason=UnavailableReason.CHOSEN_STORE_UNAVAILABLE
        )
    chosen_record = CandidateScore(
        location_id=chosen.store_id,
        kind=chosen.kind,
        distance_km=0.0,
        ineligibility=_pickup_ineligibility(chosen, line, excluded),
    )
    if chosen_record.ineligibility is not None:
        return RoutingDecision(
            **unavailable,
            unavailable_reason=UnavailableReason.CHOSEN_STORE_UNAVAILABLE,
            candidates=(chosen_record,),
        )
    if stock.left(chosen.store_id, line.variant_id) >= line.quantity:
        stock.take(chosen.store_id, line.variant_id, line.quantity)
        return RoutingDecision(
            line_index=index,
            line=line,
            kind=DecisionKind.DIRECT,
            location_id=chosen.store_id,
            allocations=(Allocation(chosen.store_id, line.quantity),),
            delay_days=policy.collect_delay_days,
            candidates=(chosen_record,),
        )
    chosen_record = replace(chosen_record, ineligibility=Ineligibility.NOT_ENOUGH_STOCK)
    if not policy.transfer_for_collect:
        return RoutingDecision(
            **unavailable,
            unavailable_reason=UnavailableReason.CHOSEN_STORE_OUT_OF_STOCK,
            candidates=(chosen_record,),
        )

    eligible: list[tuple[Location, float, int]] = []
    left_out = [chosen_record]
    for location in by_id.values():
        if location.store_id == chosen.store_id:
            continue
        left = stock.left(location.store_id, line.variant_id)
        if left <= 0:
            continue
        distance = distance_km(
            chosen.latitude, chosen.longitude, location.latitude, location.longitude
        )
        reason = shipping_ineligibility(location, excluded, None, policy)
        if reason is None and left < line.quantity:
            reason = Ineligibility.NOT_ENOUGH_STOCK
        if reason is None:
            eligible.append((location, distance, left))
        else:
            left_out.append(
                CandidateScore(
                    location_id=location.store_id,
                    kind=location.kind,
                    distance_km=distance,
                    ineligibility=reason,
                )
            )
    busiest = max((location.recent_routed for location, _, _ in eligible), default=0)
    scored = [
        score_candidate(location, distance, (line.quantity,), (left,), busiest, policy)
        for location, distance, left in eligible
    ]
    candidates = audit_order(scored, left_out)
    if not scored:
        return RoutingDecision(
            **unavailable,
            unavailable_reason=UnavailableReason.CHOSEN_STORE_OUT_OF_STOCK,
            candidates=candidates,
        )
    source = min(scored, key=rank_key)
    stock.take(source.location_id, line.variant_id, line.quantity)
    return RoutingDecision(
        line_index=index,
        line=line,
        kind=DecisionKind.TRANSFER,
        location_id=chosen.store_id,
        allocations=(Allocation(source.location_id, line.quantity),),
        transfer_from_store_id=source.location_id,
        delay_days=policy.collect_delay_days + policy.transfer_delay_days,
        candidates=candidates,
    )


def _pickup_ineligibility(
    store: Location, line: RequestLine, excluded: frozenset[int]
) -> Ineligibility | None:
    """Why the chosen store cannot be the pickup store of this line (None: it can)."""
    if store.store_id in excluded:
        return Ineligibility.EXCLUDED
    if not store.is_selling:
        return Ineligibility.NOT_SELLING
    if store.is_warehouse or not store.offers(line.method):
        return Ineligibility.NO_SERVICE
    return None
