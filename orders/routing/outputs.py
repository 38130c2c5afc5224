"""What the routing engine answers: per line, where it goes and which candidates were weighed,
in a form kept with the order for HQ's audit."""

from __future__ import annotations

from dataclasses import dataclass

from ..methods import FulfilmentMethod
from .inputs import (
    AUDIT_CANDIDATES,
    DecisionKind,
    HomeDeliveryPlan,
    Ineligibility,
    LocationKind,
    RequestLine,
    RoutingPolicy,
    UnavailableReason,
)


@dataclass(frozen=True, slots=True)
class Allocation:
    """`quantity` units taken from `location_id`'s stock."""

    location_id: int
    quantity: int

    def as_dict(self) -> dict:
        return {"location_id": self.location_id, "quantity": self.quantity}


@dataclass(frozen=True, slots=True)
class CandidateScore:
    """A location the router looked at for a line, with its score or why it was left out.

    `distance_km` is to the customer (home delivery) or to the chosen store (transfer source).
    `serves_all`: it has the quantity of every line being placed (all the order's
    home-delivery lines, or the line to transfer). The component scores and the total are None
    for an ineligible location.
    """

    location_id: int
    kind: LocationKind
    distance_km: float
    ineligibility: Ineligibility | None = None
    serves_all: bool = False
    distance: float | None = None
    stock_depth: float | None = None
    load: float | None = None
    fairness: float | None = None
    total: float | None = None

    @property
    def eligible(self) -> bool:
        return self.ineligibility is None

    def as_dict(self) -> dict:
        def rounded(value: float | None) -> float | None:
            return None if value is None else round(value, 4)

        return {
            "location_id": self.location_id,
            "kind": str(self.kind),
            "distance_km": round(self.distance_km, 2),
            "eligible": self.eligible,
            "ineligibility": None if self.ineligibility is None else str(self.ineligibility),
            "serves_all": self.serves_all,
            "scores": None
            if self.total is None
            else {
                "distance": rounded(self.distance),
                "stock_depth": rounded(self.stock_depth),
                "load": rounded(self.load),
                "fairness": rounded(self.fairness),
            },
            "total": rounded(self.total),
        }


@dataclass(frozen=True, slots=True)
class RoutingDecision:
    """Where one line goes.

    `location_id` is where the customer gets the goods: the shipping location (None when the
    line is split: see `allocations`) or the pickup store (for a transfer too). `allocations`
    say from whose stock the units are taken (the source store for a transfer). `delay_days`
    is the delay promised to the customer. `candidates` are the locations holding any of the
    variants that were looked at: the eligible best first, then the others nearest first.
    """

    line_index: int
    line: RequestLine
    kind: DecisionKind
    location_id: int | None = None
    allocations: tuple[Allocation, ...] = ()
    transfer_from_store_id: int | None = None
    delay_days: int | None = None
    unavailable_reason: UnavailableReason | None = None
    candidates: tuple[CandidateScore, ...] = ()

    @property
    def is_served(self) -> bool:
        return self.kind is not DecisionKind.UNAVAILABLE

    @property
    def is_split(self) -> bool:
        return len(self.allocations) > 1

    def as_dict(self, *, with_candidates: bool = True, max_candidates: int | None = None) -> dict:
        found = {
            "line": self.line_index,
            "variant_id": self.line.variant_id,
            "quantity": self.line.quantity,
            "method": str(self.line.method),
            "chosen_store_id": self.line.chosen_store_id,
            "kind": str(self.kind),
            "location_id": self.location_id,
            "allocations": [allocation.as_dict() for allocation in self.allocations],
            "transfer_from_store_id": self.transfer_from_store_id,
            "delay_days": self.delay_days,
            "unavailable_reason": None
            if self.unavailable_reason is None
            else str(self.unavailable_reason),
        }
        if with_candidates:
            found.update(candidates_as_dict(self.candidates, max_candidates))
        return found


@dataclass(frozen=True, slots=True)
class RoutingResult:
    """The decisions for an order's lines (in the request's order) and what led to them."""

    decisions: tuple[RoutingDecision, ...]
    policy: RoutingPolicy
    home_delivery_plan: HomeDeliveryPlan = HomeDeliveryPlan.NONE
    excluded_location_ids: frozenset[int] = frozenset()

    @property
    def parcels(self) -> tuple[int, ...]:
        """The locations shipping home-delivery lines, by store id: one parcel each."""
        return tuple(
            sorted(
                {
                    allocation.location_id
                    for decision in self.decisions
                    if decision.line.method is FulfilmentMethod.HOME_DELIVERY
                    for allocation in decision.allocations
                }
            )
        )

    @property
    def home_delivery_candidates(self) -> tuple[CandidateScore, ...]:
        """The locations considered for the home-delivery lines (placed together)."""
        for decision in self.decisions:
            if decision.line.method is FulfilmentMethod.HOME_DELIVERY:
                return decision.candidates
        return ()

    @property
    def fully_served(self) -> bool:
        return all(decision.is_served for decision in self.decisions)

    def as_dict(self, *, max_candidates: int | None = AUDIT_CANDIDATES) -> dict:
        """The decision in JSON-serialisable form, kept with the order for HQ's audit. The
        home-delivery lines' candidates are given once, under "home_delivery"; each collect
        line has its own (the chosen store, and the transfer sources considered). Up to
        `max_candidates` eligible ones (best first) and ineligible ones (nearest first) are
        kept, with the count of the others (None: all)."""
        return {
            "policy": self.policy.as_dict(),
            "excluded_location_ids": sorted(self.excluded_location_ids),
            "home_delivery": {
                "plan": str(self.home_delivery_plan),
                "parcels": list(self.parcels),
                **candidates_as_dict(self.home_delivery_candidates, max_candidates),
            },
            "lines": [
                decision.as_dict(
                    with_candidates=decision.line.method is not FulfilmentMethod.HOME_DELIVERY,
                    max_candidates=max_candidates,
                )
                for decision in self.decisions
            ],
        }


def candidates_as_dict(candidates: tuple[CandidateScore, ...], limit: int | None) -> dict:
    """At most `limit` eligible and `limit` ineligible candidates, and how many were left out."""
    if limit is None:
        shown = list(candidates)
    else:
        eligible = [candidate for candidate in candidates if candidate.eligible]
        ineligible = [candidate for candidate in candidates if not candidate.eligible]
        shown = eligible[:limit] + ineligible[:limit]
    return {
        "candidates": [candidate.as_dict() for candidate in shown],
        "candidates_not_shown": len(candidates) - len(shown),
    }
