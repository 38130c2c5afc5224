"""The routing engine: which location of the network serves each line of an order.

Pure: plain dataclasses in, a decision out. It reads no database (orders.selectors builds the
`Location`s), so HQ's rules are tested on their own and an order's routing can be replayed.

The rules, as HQ sets them in a `RoutingPolicy`:

- **Click & collect, reserve & collect**: the store the customer chose, when it has the
  quantity. Otherwise, if HQ allows it, a store-to-store transfer of the whole line from the best
  other location that has it (the customer is told the longer delay); else the line is
  unavailable. A chosen store that does not sell, does not offer the method or has refused this
  order cannot be the pickup store: the line is unavailable.
- **Home delivery**, all the order's home-delivery lines together:
  1. the central warehouse, when it can serve every line (warehouse first, if HQ says so);
  2. else the one location that can serve every line, the best by score (ship-from-store);
  3. only when no single location can: the lines spread over the fewest locations, never more
     than HQ's maximum of parcels (one parcel = one shipping location), the warehouse taking what
     it can first; a line's quantity is split over several locations only when no location
     within the parcel limit can serve it whole. What cannot be served is marked unavailable.
- **Score** of a candidate (each component between 0 and 1, higher is better; the total is the
  weighted sum with HQ's weights): distance to the customer (1 on the spot, 0 at the maximum
  distance), stock depth (the share of its stock left after the order: taking a store's last
  unit scores 0), load (the room left in its daily capacity), fairness (fewer orders routed to it
  recently than the busiest candidate). Ties go to the lower store id, so routing is
  deterministic.
- A location is not a home-delivery candidate when it was excluded (it refused or let this
  order time out), does not sell (suspended, closed), does not ship from store, is farther than
  the maximum distance (stores only: a warehouse ships anywhere) or has reached its daily
  capacity.

Stock is counted once per order: units given to one line are not available to the next.
Collect lines are routed first (the customer chose their store), then home-delivery lines.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from enum import StrEnum
from itertools import combinations

from stores.geo import distance_km

# Totals are compared rounded, so that equal scores reached by different float paths tie
# (and the tie goes to the lower store id).
SCORE_DIGITS = 9
# The audit keeps this many eligible candidates, and as many ineligible ones, per decision.
AUDIT_CANDIDATES = 12
# Above this many combinations of locations to try, the split of an order is found greedily.
MAX_COMBINATIONS = 20_000


class FulfilmentMethod(StrEnum):
    HOME_DELIVERY = "home_delivery"
    CLICK_COLLECT = "click_collect"
    RESERVE_COLLECT = "reserve_collect"


COLLECT_METHODS = frozenset({FulfilmentMethod.CLICK_COLLECT, FulfilmentMethod.RESERVE_COLLECT})


class LocationKind(StrEnum):
    STORE = "store"
    WAREHOUSE = "warehouse"


class DecisionKind(StrEnum):
    DIRECT = "direct"
    TRANSFER = "transfer"
    UNAVAILABLE = "unavailable"


class UnavailableReason(StrEnum):
    """Why a line cannot be served: what the customer is told."""

    # No candidate has the quantity, even counting every unit of every candidate.
    OUT_OF_STOCK = "out_of_stock"
    # The candidates have it, but not within HQ's maximum of parcels.
    PARCEL_LIMIT = "parcel_limit"
    # The chosen store does not sell, does not offer this method, is unknown or refused the order.
    CHOSEN_STORE_UNAVAILABLE = "chosen_store_unavailable"
    # The chosen store lacks the quantity and no transfer is possible (not allowed, or no source).
    CHOSEN_STORE_OUT_OF_STOCK = "chosen_store_out_of_stock"


class Ineligibility(StrEnum):
    """Why a location holding stock was not a candidate: shown in the audit."""

    EXCLUDED = "excluded"  # it refused this order or let it time out
    NOT_SELLING = "not_selling"  # suspended, closed or onboarding
    NO_SERVICE = "no_service"  # does not ship from store, or does not offer this collect method
    TOO_FAR = "too_far"
    AT_CAPACITY = "at_capacity"
    NOT_ENOUGH_STOCK = "not_enough_stock"


class HomeDeliveryPlan(StrEnum):
    """How the home-delivery lines were placed, for the audit."""

    NONE = "none"  # the order has no home-delivery line
    WAREHOUSE = "warehouse"  # the warehouse serves every line
    SINGLE_LOCATION = "single_location"  # one store serves every line
    SPLIT_ORDER = "split_order"  # the lines go to several locations, each line whole
    SPLIT_LINES = "split_lines"  # a line's quantity is split over several locations
    UNAVAILABLE = "unavailable"  # nothing could be served


# Inputs -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Point:
    latitude: float
    longitude: float

    def __post_init__(self):
        latitude, longitude = float(self.latitude), float(self.longitude)
        if not (math.isfinite(latitude) and math.isfinite(longitude)):
            raise ValueError("A point needs finite coordinates.")
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise ValueError("A point's latitude is within ±90 and its longitude within ±180.")
        object.__setattr__(self, "latitude", latitude)
        object.__setattr__(self, "longitude", longitude)


@dataclass(frozen=True, slots=True)
class RequestLine:
    """One line of the order: `quantity` units of a variant, by `method`; the collect methods
    name the store the customer chose."""

    variant_id: int
    quantity: int
    method: FulfilmentMethod
    chosen_store_id: int | None = None

    def __post_init__(self):
        object.__setattr__(self, "method", FulfilmentMethod(self.method))
        if self.quantity < 1:
            raise ValueError("A line's quantity is at least 1.")
        if self.method in COLLECT_METHODS and self.chosen_store_id is None:
            raise ValueError("A collect line names the store the customer chose.")
        if self.method is FulfilmentMethod.HOME_DELIVERY and self.chosen_store_id is not None:
            raise ValueError("A home-delivery line has no chosen store.")


@dataclass(frozen=True, slots=True)
class RoutingRequest:
    """The lines of an order and, for home delivery, the customer's delivery point."""

    lines: tuple[RequestLine, ...]
    customer: Point | None = None

    def __post_init__(self):
        object.__setattr__(self, "lines", tuple(self.lines))
        if not self.lines:
            raise ValueError("An order to route has at least one line.")
        needs_point = any(line.method is FulfilmentMethod.HOME_DELIVERY for line in self.lines)
        if needs_point and self.customer is None:
            raise ValueError("Home delivery needs the customer's delivery point.")


@dataclass(frozen=True, slots=True)
class Location:
    """A store or warehouse as the router sees it.

    `available` maps variant id to units available for sale (on hand - reserved - safety
    stock). `open_orders` is the load: orders open today, against `daily_capacity`.
    `recent_routed` is how many orders were routed here recently (fairness). `is_selling` is
    false for a suspended or closed location. A warehouse always ships; the three service flags
    are the store's.
    """

    store_id: int
    kind: LocationKind
    latitude: float
    longitude: float
    available: Mapping[int, int] = field(default_factory=dict)
    ships_from_store: bool = True
    offers_click_collect: bool = True
    offers_reserve_collect: bool = True
    open_orders: int = 0
    daily_capacity: int = 50
    recent_routed: int = 0
    is_selling: bool = True

    def __post_init__(self):
        object.__setattr__(self, "kind", LocationKind(self.kind))
        object.__setattr__(self, "latitude", float(self.latitude))
        object.__setattr__(self, "longitude", float(self.longitude))

    @property
    def is_warehouse(self) -> bool:
        return self.kind is LocationKind.WAREHOUSE

    @property
    def ships(self) -> bool:
        return self.is_warehouse or self.ships_from_store

    @property
    def at_capacity(self) -> bool:
        return self.open_orders >= self.daily_capacity

    def offers(self, method: FulfilmentMethod) -> bool:
        if method is FulfilmentMethod.CLICK_COLLECT:
            return self.offers_click_collect
        if method is FulfilmentMethod.RESERVE_COLLECT:
            return self.offers_reserve_collect
        return self.ships


@dataclass(frozen=True, slots=True)
class RoutingPolicy:
    """HQ's routing rules: the score's weights (any non-negative numbers; only their ratios
    matter) and the limits. Delays are in days, as told to the customer."""

    distance_weight: float = 0.4
    stock_depth_weight: float = 0.2
    load_weight: float = 0.25
    fairness_weight: float = 0.15
    max_parcels: int = 2
    max_distance_km: float = 150.0
    warehouse_first: bool = True
    transfer_for_collect: bool = True
    transfer_delay_days: int = 3
    collect_delay_days: int = 0
    warehouse_delivery_days: int = 2
    store_delivery_days: int = 2

    def __post_init__(self):
        for name in ("distance_weight", "stock_depth_weight", "load_weight", "fairness_weight"):
            weight = float(getattr(self, name))
            if not math.isfinite(weight) or weight < 0:
                raise ValueError(f"{name} is a non-negative number.")
            object.__setattr__(self, name, weight)
        object.__setattr__(self, "max_distance_km", float(self.max_distance_km))
        if self.max_parcels < 1:
            raise ValueError("max_parcels is at least 1.")
        if not (math.isfinite(self.max_distance_km) and self.max_distance_km > 0):
            raise ValueError("max_distance_km is a positive number.")
        for name in (
            "transfer_delay_days",
            "collect_delay_days",
            "warehouse_delivery_days",
            "store_delivery_days",
        ):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} is not negative.")

    def as_dict(self) -> dict:
        return asdict(self)


# Outputs ------------------------------------------------------------------------------------


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
        def rounded(value):
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
            found.update(_candidates_as_dict(self.candidates, max_candidates))
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
                **_candidates_as_dict(self.home_delivery_candidates, max_candidates),
            },
            "lines": [
                decision.as_dict(
                    with_candidates=decision.line.method is not FulfilmentMethod.HOME_DELIVERY,
                    max_candidates=max_candidates,
                )
                for decision in self.decisions
            ],
        }


# The engine ---------------------------------------------------------------------------------


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
    stock = _Stock(by_id)
    decisions: dict[int, RoutingDecision] = {}

    for index, line in enumerate(request.lines):
        if line.method in COLLECT_METHODS:
            decisions[index] = _route_collect(index, line, by_id, stock, policy, excluded)

    home_lines = [
        (index, line)
        for index, line in enumerate(request.lines)
        if line.method is FulfilmentMethod.HOME_DELIVERY
    ]
    plan = HomeDeliveryPlan.NONE
    if home_lines:
        parcel_limit = policy.max_parcels if max_parcels is None else max_parcels
        home_decisions, plan = _route_home_delivery(
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


class _Stock:
    """The units left per (location, variant) while an order is being routed."""

    __slots__ = ("_by_id", "_taken")

    def __init__(self, by_id: Mapping[int, Location]):
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


def _score(
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


def _rank_key(score: CandidateScore):
    return (-score.total, score.location_id)


def _audit(scored: list[CandidateScore], left_out: list[CandidateScore]):
    """The candidates as the audit shows them: the eligible best first, then the others
    nearest first (why wasn't the nearest store used?)."""
    return tuple(sorted(scored, key=_rank_key)) + tuple(
        sorted(left_out, key=lambda candidate: (candidate.distance_km, candidate.location_id))
    )


def _candidates_as_dict(candidates: tuple[CandidateScore, ...], limit: int | None) -> dict:
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


def _shipping_ineligibility(
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


# Collect lines ------------------------------------------------------------------------------


def _route_collect(
    index: int,
    line: RequestLine,
    by_id: Mapping[int, Location],
    stock: _Stock,
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
        reason = _shipping_ineligibility(location, excluded, None, policy)
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
        _score(location, distance, (line.quantity,), (left,), busiest, policy)
        for location, distance, left in eligible
    ]
    candidates = _audit(scored, left_out)
    if not scored:
        return RoutingDecision(
            **unavailable,
            unavailable_reason=UnavailableReason.CHOSEN_STORE_OUT_OF_STOCK,
            candidates=candidates,
        )
    source = min(scored, key=_rank_key)
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


# Home delivery ------------------------------------------------------------------------------


def _route_home_delivery(
    home_lines: list[tuple[int, RequestLine]],
    customer: Point,
    by_id: Mapping[int, Location],
    stock: _Stock,
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
        reason = _shipping_ineligibility(location, excluded, distance, policy)
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
        location.store_id: _score(
            location, distance, wanted, held[location.store_id], busiest, policy
        )
        for location, distance in eligible
    }
    candidates = _audit(list(scores.values()), left_out)
    # The order in which locations are preferred: the warehouse first if HQ says so, then by score.
    preferred = sorted(
        (location for location, _ in eligible),
        key=lambda location: (
            not (policy.warehouse_first and location.is_warehouse),
            *_rank_key(scores[location.store_id]),
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
    stock: _Stock,
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
    whole = _fewest_locations_serving_whole(variants, covers, preferred, policy, max_parcels)
    if whole is not None:
        return HomeDeliveryPlan.SPLIT_ORDER, {
            variant_id: [(location_id, demand[variant_id])]
            for variant_id, location_id in whole.items()
        }

    # 3b. Greedy: whole lines to the locations that serve the most of them, then split the rest.
    return _split_greedily(variants, demand, covers, preferred, stock, policy, max_parcels)


def _fewest_locations_serving_whole(
    variants: list[int],
    covers: Mapping[int, int],
    preferred: list[Location],
    policy: RoutingPolicy,
    max_parcels: int,
) -> dict[int, int] | None:
    """{variant: location} over the fewest locations (2..max_parcels) serving each line whole,
    or None. Among equally few: the most lines from the warehouse (if warehouse first), then the
    best positions in the order of preference (lowest sum), then the lowest store ids.

    Only one location per set of lines it covers is tried (the first in order of preference,
    and the first warehouse): any other could be swapped for it."""
    full = (1 << len(variants)) - 1
    position = {location.store_id: rank for rank, location in enumerate(preferred)}
    representatives: list[Location] = []
    seen: set[tuple[int, bool]] = set()
    for location in preferred:
        mask = covers[location.store_id]
        key = (mask, location.is_warehouse and policy.warehouse_first)
        if mask and key not in seen:
            seen.add(key)
            representatives.append(location)
    for size in range(2, max_parcels + 1):
        if size > len(representatives):
            return None
        if math.comb(len(representatives), size) > MAX_COMBINATIONS:
            return None
        best_key, best = None, None
        for group in combinations(representatives, size):
            union = 0
            for location in group:
                union |= covers[location.store_id]
            if union != full:
                continue
            assignment = {}
            for bit, variant_id in enumerate(variants):
                # `group` keeps the order of preference: the first location covering the line.
                assignment[variant_id] = next(
                    location for location in group if covers[location.store_id] >> bit & 1
                )
            from_warehouse = sum(location.is_warehouse for location in assignment.values())
            key = (
                -from_warehouse if policy.warehouse_first else 0,
                sum(position[location.store_id] for location in group),
                sorted(location.store_id for location in group),
            )
            if best_key is None or key < best_key:
                best_key = key
                best = {
                    variant_id: location.store_id for variant_id, location in assignment.items()
                }
        if best is not None:
            return best
    return None


def _split_greedily(
    variants: list[int],
    demand: Mapping[int, int],
    covers: Mapping[int, int],
    preferred: list[Location],
    stock: _Stock,
    policy: RoutingPolicy,
    max_parcels: int,
) -> tuple[HomeDeliveryPlan, dict[int, list[tuple[int, int]]]]:
    """Whole lines first (the warehouse if warehouse first, then the location serving the most
    lines); a line no chosen location can serve whole is split over the chosen locations, then
    over new ones holding the most units, within the parcel limit; else it is unavailable."""
    parcels: list[int] = []  # store ids, in the order they were chosen
    allocations: dict[int, list[tuple[int, int]]] = {}
    uncovered = (1 << len(variants)) - 1
    while uncovered and len(parcels) < max_parcels:
        best_key, best = None, None
        for rank, location in enumerate(preferred):
            count = (covers[location.store_id] & uncovered).bit_count()
            if not count or location.store_id in parcels:
                continue
            key = (not (policy.warehouse_first and location.is_warehouse), -count, rank)
            if best_key is None or key < best_key:
                best_key, best = key, location.store_id
        if best is None:
            break
        parcels.append(best)
        for bit, variant_id in enumerate(variants):
            if uncovered >> bit & 1 and covers[best] >> bit & 1:
                allocations[variant_id] = [(best, demand[variant_id])]
                uncovered &= ~(1 << bit)

    split = False
    for bit, variant_id in enumerate(variants):
        if uncovered >> bit & 1:
            taken = _split_line(
                variant_id, demand[variant_id], parcels, preferred, stock, max_parcels
            )
            if taken is not None:
                allocations[variant_id] = taken
                split = split or len(taken) > 1
    if not allocations:
        return HomeDeliveryPlan.UNAVAILABLE, {}
    if split:
        plan = HomeDeliveryPlan.SPLIT_LINES
    elif len(parcels) > 1:
        plan = HomeDeliveryPlan.SPLIT_ORDER
    else:
        only = next(location for location in preferred if location.store_id == parcels[0])
        plan = HomeDeliveryPlan.WAREHOUSE if only.is_warehouse else HomeDeliveryPlan.SINGLE_LOCATION
    return plan, {
        variant_id: allocations[variant_id] for variant_id in variants if variant_id in allocations
    }


def _split_line(
    variant_id: int,
    needed: int,
    parcels: list[int],
    preferred: list[Location],
    stock: _Stock,
    max_parcels: int,
) -> list[tuple[int, int]] | None:
    """[(location, units)] giving `needed` units of a variant from the locations already
    shipping (`parcels`, extended in place), then from new ones holding the most units; None
    (and `parcels` untouched) when the parcel limit or the stock does not allow it."""
    taken: list[tuple[int, int]] = []
    added: list[int] = []
    for location_id in parcels:
        units = min(stock.left(location_id, variant_id), needed)
        if units > 0:
            taken.append((location_id, units))
            needed -= units
        if not needed:
            break
    while needed and len(parcels) + len(added) < max_parcels:
        fresh = [
            (-stock.left(location.store_id, variant_id), rank, location.store_id)
            for rank, location in enumerate(preferred)
            if location.store_id not in parcels
            and location.store_id not in added
            and stock.left(location.store_id, variant_id) > 0
        ]
        if not fresh:
            break
        _most, _rank, location_id = min(fresh)
        units = min(stock.left(location_id, variant_id), needed)
        added.append(location_id)
        taken.append((location_id, units))
        needed -= units
    if needed:
        return None
    parcels.extend(added)
    return taken
