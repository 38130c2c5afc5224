"""Distances on the globe, in one place: in Python (routing, pages) and in SQL (near-me).

Both use the haversine formula on a sphere of the Earth's mean radius, so that a store listed
"12.3 km away" by the database is 12.3 km away for the routing engine too. Nothing here reads
the database: the routing engine imports it.
"""

from __future__ import annotations

import math
from decimal import Decimal

from django.db.models import Expression, F, FloatField
from django.db.models.functions import Cast

EARTH_RADIUS_KM = 6371.0088


def distance_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance (haversine), the formula of distance_km_expression. The clamp keeps
    rounding from taking asin past 1 for points at the antipodes."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = math.radians(lat2 - lat1), math.radians(lng2 - lng1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(a, 1.0)))


class DistanceKm(Expression):
    """SQL haversine distance in km from a fixed point to the row's latitude and longitude
    columns: the formula of `distance_km`, as one expression node. Spelt with Django's function
    classes the formula is a tree of some thirty nodes that every query resolves, copies and
    compiles again (a near-me or routing query spent most of its Python there); here only the
    two column casts are nodes. The function names are PostgreSQL's, which Django also defines
    on SQLite (the embedded profile)."""

    output_field = FloatField()

    def __init__(self, latitude: float, longitude: float, *, prefix: str = "") -> None:
        super().__init__()
        self.latitude, self.longitude = float(latitude), float(longitude)
        self.row_latitude = Cast(F(f"{prefix}latitude"), FloatField())
        self.row_longitude = Cast(F(f"{prefix}longitude"), FloatField())

    def get_source_expressions(self):
        return [self.row_latitude, self.row_longitude]

    def set_source_expressions(self, expressions) -> None:
        self.row_latitude, self.row_longitude = expressions

    def as_sql(self, compiler, connection):
        lat_sql, lat_params = compiler.compile(self.row_latitude)
        lng_sql, lng_params = compiler.compile(self.row_longitude)
        sql = distance_km_sql(lat_sql, lng_sql)
        params = (
            *lat_params,
            self.latitude,
            self.latitude,
            *lat_params,
            *lng_params,
            self.longitude,
        )
        return sql, params


def distance_km_sql(latitude_sql: str, longitude_sql: str) -> str:
    """The SQL of `distance_km` from a point to the row's columns (SQL of a float each). Its
    placeholders take the point as (latitude, latitude, longitude), in that order; for queries
    written by hand, where a column is `CAST(store.latitude AS double precision)`."""
    return (
        f"(2 * {EARTH_RADIUS_KM} * ASIN(SQRT("
        f"POWER(SIN(RADIANS({latitude_sql} - %s) / 2), 2)"
        f" + COS(RADIANS(%s)) * COS(RADIANS({latitude_sql}))"
        f" * POWER(SIN(RADIANS({longitude_sql} - %s) / 2), 2))))"
    )


def distance_km_params(latitude: float, longitude: float) -> tuple[float, float, float]:
    """The point as `distance_km_sql`'s placeholders take it."""
    return (latitude, latitude, longitude)


STORE_DISTANCE_SQL = distance_km_sql(
    "CAST(store.latitude AS double precision)", "CAST(store.longitude AS double precision)"
)


def distance_km_expression(latitude: float, longitude: float, *, prefix: str = "") -> DistanceKm:
    """SQL haversine distance in km from a point to the store at `prefix` (e.g. "store__")."""
    return DistanceKm(latitude, longitude, prefix=prefix)


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


def box_bounds(latitude: float, longitude: float, radius_km: float) -> tuple[Decimal, ...]:
    """`bounding_box` as the four values of `latitude BETWEEN %s AND %s AND longitude BETWEEN
    %s AND %s`, in that order: for the queries written by hand."""
    box = bounding_box(latitude, longitude, radius_km)
    keys = ("latitude__gte", "latitude__lte", "longitude__gte", "longitude__lte")
    return tuple(box[key] for key in keys)
