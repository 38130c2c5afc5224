"""When no single location can ship every home-delivery line: the fewest locations serving each
line whole, else a greedy split, within HQ's maximum of parcels."""

from __future__ import annotations

import math
from collections.abc import Mapping
from itertools import combinations

from .inputs import MAX_COMBINATIONS, HomeDeliveryPlan, Location, RoutingPolicy
from .scoring import Stock


def fewest_locations_serving_whole(
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


def split_greedily(
    variants: list[int],
    demand: Mapping[int, int],
    covers: Mapping[int, int],
    preferred: list[Location],
    stock: Stock,
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
    stock: Stock,
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
