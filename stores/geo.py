"""Distances on the globe, in one place: in Python (routing, pages) and in SQL (near-me).

Both use the haversine formula on a sphere of the Earth's mean radius, so that a store listed
"12.3 km away" by the database is 12.3 km away for the routing engine too. Nothing here reads
the database: the routing engine imports it.
"""

from __future__ import annotations

import math
from decimal import Decimal

from django.db.models import ExpressionWrapper, F, FloatField, Value
from django.db.models.functions import ASin, Cast, Cos, Power, Radians, Sin, Sqrt

EARTH_RADIUS_KM = 6371.0088


def distance_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance (haversine), the formula of distance_km_expression. The clamp keeps
    rounding from taking asin past 1 for points at the antipodes."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = math.radians(lat2 - lat1), math.radians(lng2 - lng1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(a, 1.0)))


def distance_km_expression(latitude: float, longitude: float, *, prefix: str = ""):
    """SQL haversine distance in km from a point to the store at `prefix` (e.g. "store__")."""
    store_lat = Cast(F(f"{prefix}latitude"), FloatField())
    store_lng = Cast(F(f"{prefix}longitude"), FloatField())
    lat, lng = Value(float(latitude)), Value(float(longitude))
    a = Power(Sin(Radians(store_lat - lat) / 2), 2) + Cos(Radians(lat)) * Cos(
        Radians(store_lat)
    ) * Power(Sin(Radians(store_lng - lng) / 2), 2)
    return ExpressionWrapper(2 * EARTH_RADIUS_KM * ASin(Sqrt(a)), output_field=FloatField())


def bounding_box(latitude: float, longitude: float, radius_km: float) -> dict:
    """A lat/lng box around the point that contains the circle: lets an index prefilter."""
    dlat = radius_km / 111.32
    dlng = radius_km / max(111.32 * math.cos(math.radians(latitude)), 1e-6)
    return {
        "latitude__gte": Decimal(f"{latitude - dlat:.6f}"),
        "latitude__lte": Decimal(f"{latitude + dlat:.6f}"),
        "longitude__gte": Decimal(f"{longitude - dlng:.6f}"),
        "longitude__lte": Decimal(f"{longitude + dlng:.6f}"),
    }
