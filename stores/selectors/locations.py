"""Where stores and customers are: the selling stores, store search, postal code centres,
"near me", and the catchment that credits a customer's orders to their local store."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Max, Q, QuerySet

from catalog import cache as storefront_cache
from catalog.selectors import clean_search_text, listing_max_age
from network_marketplace.search import fold

from ..geo import bounding_box, distance_km_expression
from ..models import PostalCode, Store


def selling_stores() -> QuerySet[Store]:
    """The stores customers can buy from, for the storefront."""
    return Store.objects.selling()


def search_stores(query: str, *, limit: int = 20) -> QuerySet[Store]:
    """Stores whose name, city or postal code matches `query` (the storefront's search box)."""
    query = clean_search_text(query)
    if not query:
        return Store.objects.none()
    folded = fold(query)
    return selling_stores().filter(
        Q(name__unaccented__icontains=folded)
        | Q(city__unaccented__icontains=folded)
        | Q(postal_code__startswith=query)
    )[:limit]


def postal_code_centroid(code: str) -> tuple[float, float] | None:
    """The centre of a French postal code (the mean when it serves several towns), or None."""
    code = (code or "").strip().replace(" ", "")
    if not code:
        return None
    found = PostalCode.objects.filter(code=code).aggregate(
        latitude=Avg("latitude"), longitude=Avg("longitude")
    )
    if found["latitude"] is None:
        return None
    return round(float(found["latitude"]), 6), round(float(found["longitude"]), 6)


def collect_stores_near(
    *, latitude: float, longitude: float, radius_km: float, limit: int
) -> list[Store]:
    """The selling click & collect stores within `radius_km`, nearest first (`distance_km`
    set): the product page's transfer offer asks for them on every view, so each process keeps
    them for the listing delay of HQ's StorefrontPolicy (a store that closes or stops click &
    collect leaves the offer within it; the checkout checks the store again). Shared by the
    requests of a process: read them, never change them."""

    def load() -> list[Store]:
        return stores_near(
            latitude=latitude,
            longitude=longitude,
            radius_km=radius_km,
            limit=limit,
            queryset=selling_stores().filter(offers_click_collect=True),
        )

    key = storefront_cache.key_for("collect-stores", latitude, longitude, radius_km, limit)
    return storefront_cache.kept_in_process(key, load, max_age=listing_max_age(), per_visitor=True)


def stores_near(
    *,
    latitude: float,
    longitude: float,
    radius_km: float = 50,
    limit: int = 20,
    queryset: QuerySet[Store] | None = None,
) -> list[Store]:
    """Selling stores within `radius_km`, nearest first, each with `distance_km` set."""
    stores = (queryset if queryset is not None else selling_stores()).filter(
        **bounding_box(latitude, longitude, radius_km)
    )
    return list(
        stores.annotate(distance_km=distance_km_expression(latitude, longitude))
        .filter(distance_km__lte=radius_km)
        .order_by("distance_km", "pk")[:limit]
    )


# "Near me" on the storefront: the radius of the availability panel and the listing filter.
NEAR_RADIUS_KM = 50
POSTAL_CODE_RE = re.compile(r"^\d{5}$")


@dataclass(frozen=True)
class CustomerLocation:
    """A point the customer gave us (a postal code's or a city's centre, or their device's)."""

    latitude: float
    longitude: float
    label: str
    postal_code: str = ""

    def as_dict(self) -> dict:
        return {
            "latitude": self.latitude,
            "longitude": self.longitude,
            "label": self.label,
            "postal_code": self.postal_code,
        }

    @classmethod
    def from_dict(cls, data: Any) -> CustomerLocation | None:
        """The location remembered in a session, or None when it is missing or malformed."""
        try:
            location = cls(
                latitude=float(data["latitude"]),
                longitude=float(data["longitude"]),
                label=str(data["label"])[:120],
                postal_code=str(data.get("postal_code", ""))[:10],
            )
        except (KeyError, TypeError, ValueError):
            return None
        return location if is_valid_point(location.latitude, location.longitude) else None


def is_valid_point(latitude: float, longitude: float) -> bool:
    return (
        math.isfinite(latitude)
        and math.isfinite(longitude)
        and -90 <= latitude <= 90
        and -180 <= longitude <= 180
    )


# Postal codes change once a year (scripts/generate_postal_codes.py): each process keeps the
# places it looked up for an hour, so a page with ?postal_code= asks the database once.
PLACES_KEPT_SECONDS = 3600


def locate(query: str) -> CustomerLocation | None:
    """The centre of a French postal code ("69002") or of a town ("Villeurbanne"), or None.

    A town is matched on its exact name first, then on the start of its name; when it covers
    several postal codes the centre is their mean."""
    query = clean_search_text(query)
    if not query:
        return None
    key = storefront_cache.key_for("place", query, depends_on=())
    return storefront_cache.kept_in_process(
        key, lambda: _locate(query), max_age=PLACES_KEPT_SECONDS, per_visitor=True
    )


def _locate(query: str) -> CustomerLocation | None:
    compact = query.replace(" ", "")
    if compact.isdigit():
        if not POSTAL_CODE_RE.match(compact):
            return None
        rows = list(
            PostalCode.objects.filter(code=compact)
            .order_by("city")
            .values_list("city", "latitude", "longitude")
        )
        if not rows:
            return None
        latitude, longitude = _mean_point(rows)
        return CustomerLocation(latitude, longitude, f"{compact} {rows[0][0]}", compact)
    rows = list(
        PostalCode.objects.filter(city__iexact=query).values_list("city", "latitude", "longitude")
    )
    if not rows:
        first = PostalCode.objects.filter(city__istartswith=query).order_by("city", "code").first()
        if first is None:
            return None
        rows = list(
            PostalCode.objects.filter(city=first.city).values_list("city", "latitude", "longitude")
        )
    latitude, longitude = _mean_point(rows)
    return CustomerLocation(latitude, longitude, rows[0][0])


def _mean_point(rows: list[tuple[str, Decimal, Decimal]]) -> tuple[float, float]:
    """The mean of (label, latitude, longitude) rows: the centre of a code or a town."""
    return (
        float(sum(lat for _label, lat, _lng in rows) / len(rows)),
        float(sum(lng for _label, _lat, lng in rows) / len(rows)),
    )


def attributed_store_for(
    *, postal_code: str = "", point: tuple[float, float] | None = None
) -> Store | None:
    """The customer's local store, credited with their orders whoever serves them: the selling
    store whose catchment lists the postal code (the nearest when several do), else the nearest
    store whose catchment radius reaches the customer's point (or the postal code's centre)."""
    postal_code = (postal_code or "").strip().replace(" ", "")
    if point is None and postal_code:
        point = postal_code_centroid(postal_code)
    if postal_code:
        listed = [
            pk
            for pk, codes in selling_stores().values_list("pk", "catchment_postal_codes")
            if postal_code in (codes or [])
        ]
        if len(listed) == 1:
            return Store.objects.get(pk=listed[0])
        if listed and point is not None:
            return stores_near(
                latitude=point[0],
                longitude=point[1],
                radius_km=20_000,
                queryset=selling_stores().filter(pk__in=listed),
                limit=1,
            )[0]
        if listed:
            return Store.objects.filter(pk__in=listed).order_by("pk").first()
    if point is None:
        return None
    widest = selling_stores().aggregate(radius=Max("catchment_radius_km"))["radius"] or 0
    for store in stores_near(latitude=point[0], longitude=point[1], radius_km=widest, limit=50):
        if store.distance_km <= store.catchment_radius_km:
            return store
    return None
