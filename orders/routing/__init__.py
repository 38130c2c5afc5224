"""The routing engine: which location of the network serves each line of an order.

Pure: plain dataclasses in, a decision out. It reads no database
(`fulfillment.routing_candidates` builds the `Location`s), so HQ's rules are tested on their own
and an order's routing can be replayed.

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
  the maximum distance (stores only: a warehouse ships anywhere), has reached its daily
  capacity, or HQ took it out of home-delivery routing for its quality figures (the hq app's
  scorecards; only home delivery: it stays a pickup store and a transfer source).

Stock is counted once per order: units given to one line are not available to the next.
Collect lines are routed first (the customer chose their store), then home-delivery lines.

The package, by topic: `inputs` (the request, the locations, HQ's policy), `outputs` (the
decisions and their audit form), `scoring` (a candidate's score, the stock counted while
routing), `collect` (collect lines), `home_delivery` and `splitting` (home-delivery lines, and
how they spread over parcels), `engine` (route_order, reroute).
"""

from __future__ import annotations

from stores.geo import distance_km

from ..methods import COLLECT_METHODS, FulfilmentMethod
from .engine import reroute, route_order
from .inputs import (
    AUDIT_CANDIDATES,
    DecisionKind,
    HomeDeliveryPlan,
    Ineligibility,
    Location,
    LocationKind,
    Point,
    RequestLine,
    RoutingPolicy,
    RoutingRequest,
    UnavailableReason,
)
from .outputs import Allocation, CandidateScore, RoutingDecision, RoutingResult

__all__ = [
    "AUDIT_CANDIDATES",
    "COLLECT_METHODS",
    "Allocation",
    "CandidateScore",
    "DecisionKind",
    "FulfilmentMethod",
    "HomeDeliveryPlan",
    "Ineligibility",
    "Location",
    "LocationKind",
    "Point",
    "RequestLine",
    "RoutingDecision",
    "RoutingPolicy",
    "RoutingRequest",
    "RoutingResult",
    "UnavailableReason",
    "distance_km",
    "reroute",
    "route_order",
]
