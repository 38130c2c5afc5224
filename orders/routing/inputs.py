"""What the routing engine is given: the order's lines, the network's locations as the router
sees them, HQ's policy; and the words (enums) its answers use."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from enum import StrEnum

from ..methods import COLLECT_METHODS, FulfilmentMethod

# Totals are compared rounded, so that equal scores reached by different float paths tie
# (and the tie goes to the lower store id).
SCORE_DIGITS = 9
# The audit keeps this many eligible candidates, and as many ineligible ones, per decision.
AUDIT_CANDIDATES = 12
# Above this many combinations of locations to try, the split of an order is found greedily.
MAX_COMBINATIONS = 20_000


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
    # HQ took the store out of home-delivery routing for its quality figures (its scorecard):
    # it still serves click & collect and reserve & collect, and may send transfers.
    HOME_DELIVERY_SUSPENDED = "home_delivery_suspended"


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

    def __post_init__(self) -> None:
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

    def __post_init__(self) -> None:
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

    def __post_init__(self) -> None:
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
    false for a suspended or closed location; `home_delivery_suspended` true for a store HQ took
    out of home-delivery routing (it is no home-delivery candidate, and nothing else changes).
    A warehouse always ships; the three service flags are the store's.
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
    home_delivery_suspended: bool = False

    def __post_init__(self) -> None:
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

    def __post_init__(self) -> None:
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
