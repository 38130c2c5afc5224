"""How the router weighs a candidate: the stock left while an order is routed, a location's
score, why it may not ship, and the order in which the audit shows candidates."""

from __future__ import annotations

from collections.abc import Mapping

from .inputs import SCORE_DIGITS, Ineligibility, Location, RoutingPolicy
from .outputs import CandidateScore


class Stock:
    """The units left per (location, variant) while an order is being routed."""

    __slots__ = ("_by_id", "_taken")

    def __init__(self, by_id: Mapping[int, Location]) -> None:
        self._by_id = by_id
        self._taken: dict[tuple[int, int], int] = {}

    def left(self, location_id: int, variant_id: int) -> int:
        units = self._by_id[location_id].available.get(variant_id, 0)
        if self._taken:
            units -= self._taken.get((location_id, variant_id), 0)
        return units if units > 0 else 0

    def held(self, location_id: int, variant_ids: list[int]) -> tuple[int, ...]:
        """The units left of each of `variant_ids`, in that order."""
        return tuple(self.left(location_id, variant_id) for variant_id in variant_ids)

    def take(self, location_id: int, variant_id: int, quantity: int) -> None:
        if quantity > self.left(location_id, variant_id):
            raise RuntimeError("The router took more units than a location has.")
        key = (location_id, variant_id)
        self._taken[key] = self._taken.get(key, 0) + quantity


def score_candidate(
    location: Location,
    distance: float,
    wanted: tuple[int, ...],
    held: tuple[int, ...],
    busiest: int,
    policy: RoutingPolicy,
) -> CandidateScore:
    """A candidate's component scores (each in [0, 1]) and weighted total. `wanted` are the
    quantities of the variants being placed, `held` the units it has left of each."""
    distance_score = 1.0 - min(distance, policy.max_distance_km) / policy.max_distance_km
    depths = [
        1.0 - quantity / units
        for quantity, units in zip(wanted, held, strict=True)
        if units >= quantity
    ]
    depth_score = sum(depths) / len(wanted) if wanted else 0.0
    if location.daily_capacity > 0:
        load_score = 1.0 - min(location.open_orders / location.daily_capacity, 1.0)
    else:
        load_score = 0.0
    fairness_score = 1.0 - location.recent_routed / busiest if busiest > 0 else 1.0
    fairness_score = min(max(fairness_score, 0.0), 1.0)
    total = (
        policy.distance_weight * distance_score
        + policy.stock_depth_weight * depth_score
        + policy.load_weight * load_score
        + policy.fairness_weight * fairness_score
    )
    return CandidateScore(
        location_id=location.store_id,
        kind=location.kind,
        distance_km=distance,
        serves_all=len(depths) == len(wanted),
        distance=distance_score,
        stock_depth=depth_score,
        load=load_score,
        fairness=fairness_score,
        total=round(total, SCORE_DIGITS),
    )


def rank_key(score: CandidateScore) -> tuple[float, int]:
    return (-score.total, score.location_id)


def audit_order(
    scored: list[CandidateScore], left_out: list[CandidateScore]
) -> tuple[CandidateScore, ...]:
    """The candidates as the audit shows them: the eligible best first, then the others
    nearest first (why wasn't the nearest store used?)."""
    return tuple(sorted(scored, key=rank_key)) + tuple(
        sorted(left_out, key=lambda candidate: (candidate.distance_km, candidate.location_id))
    )


def shipping_ineligibility(
    location: Location, excluded: frozenset[int], distance: float | None, policy: RoutingPolicy
) -> Ineligibility | None:
    """Why a location may not ship this order (home delivery, or as a transfer source)."""
    if location.store_id in excluded:
        return Ineligibility.EXCLUDED
    if not location.is_selling:
        return Ineligibility.NOT_SELLING
    if not location.ships:
        return Ineligibility.NO_SERVICE
    if distance is not None and not location.is_warehouse and distance > policy.max_distance_km:
        return Ineligibility.TOO_FAR
    if location.at_capacity:
        return Ineligibility.AT_CAPACITY
    return None
