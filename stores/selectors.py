"""Reads on the network's stores, used by pages, the API and other apps."""

from __future__ import annotations

import hmac
import math
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    Max,
    Min,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import ASin, Cast, Coalesce, Cos, Power, Radians, Sin, Sqrt
from django.utils.translation import gettext_lazy as _

from catalog.models import Variant

from .models import ApiKey, PostalCode, StockLevel, StockMovement, Store, StoreMembership
from .services import API_KEY_SCHEME, hash_api_key_secret

EARTH_RADIUS_KM = 6371.0088


def active_api_key_for_secret(secret: str) -> ApiKey | None:
    """The active key whose secret this is, or None (unknown, malformed or revoked)."""
    scheme, _, rest = secret.partition("_")
    prefix, _, _token = rest.partition("_")
    if scheme != API_KEY_SCHEME or not prefix or not _token:
        return None
    api_key = ApiKey.objects.select_related("store").filter(prefix=prefix).first()
    if api_key is None or not api_key.is_active:
        return None
    if not hmac.compare_digest(api_key.secret_hash, hash_api_key_secret(secret)):
        return None
    return api_key


def stores_visible_to(principal):
    """The one tenancy rule for stores: a store key sees its store, HQ sees all, a user their own.

    `principal` is `request.user`: a user, or the API key principal of stores.authentication.
    """
    api_key = getattr(principal, "api_key", None)
    if api_key is not None:
        return Store.objects.all() if api_key.is_hq else Store.objects.filter(pk=api_key.store_id)
    return Store.objects.for_user(principal)


def membership_for(*, user, store: Store) -> StoreMembership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return StoreMembership.objects.filter(user=user, store=store).first()


def selling_stores():
    """The stores customers can buy from, for the storefront."""
    return Store.objects.selling()


def search_stores(query: str, *, limit: int = 20):
    """Stores whose name, city or postal code matches `query` (the storefront's search box)."""
    query = query.strip()
    if not query:
        return Store.objects.none()
    return selling_stores().filter(
        Q(name__icontains=query) | Q(city__icontains=query) | Q(postal_code__startswith=query)
    )[:limit]


# Geography --------------------------------------------------------------------------------


def postal_code_centroid(code: str) -> tuple[float, float] | None:
    """The centre of a French postal code (the mean when it covers several towns), or None."""
    code = (code or "").strip().replace(" ", "")
    if not code:
        return None
    points = list(PostalCode.objects.filter(code=code).values_list("latitude", "longitude"))
    if not points:
        return None
    return (
        float(sum(lat for lat, _lng in points) / len(points)),
        float(sum(lng for _lat, lng in points) / len(points)),
    )


def distance_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance (haversine), the same formula as distance_km_expression."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = math.radians(lat2 - lat1), math.radians(lng2 - lng1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


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


def stores_near(
    *, latitude: float, longitude: float, radius_km: float = 50, limit: int = 20, queryset=None
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


# Availability -----------------------------------------------------------------------------

# Customers see a band, not the exact count: stores' stock is their business.
QUANTITY_BANDS = (
    (10, "in_stock", _("In stock")),
    (3, "limited", _("Limited stock")),
    (1, "last_units", _("Last units")),
)


def quantity_band(available: int) -> tuple[str, str]:
    for minimum, code, label in QUANTITY_BANDS:
        if available >= minimum:
            return code, str(label)
    return "out_of_stock", str(_("Out of stock"))


@dataclass(frozen=True)
class NearbyOffer:
    store: Store
    distance_km: float
    available: int
    price_cents: int

    @property
    def band(self) -> str:
        return quantity_band(self.available)[0]

    @property
    def band_label(self) -> str:
        return quantity_band(self.available)[1]


def stores_with_variant_near(
    *, variant_id: int, latitude: float, longitude: float, radius_km: float = 50, limit: int = 10
) -> list[NearbyOffer]:
    """The selling stores near a point that have the variant available, nearest first, with
    their price. Two queries: the offers, read from the stock_by_variant index alone (an
    index-only scan of the variant's rows joined to the stores in the box), then the stores."""
    box = {
        f"store__{key}": value
        for key, value in bounding_box(latitude, longitude, radius_km).items()
    }
    offers = list(
        StockLevel.objects.filter(
            variant_id=variant_id,
            available__gt=0,
            store__status=Store.Status.ACTIVE,
            **box,
        )
        .exclude(store__kind=Store.Kind.WAREHOUSE)
        .annotate(
            distance_km=distance_km_expression(latitude, longitude, prefix="store__"),
            price=Coalesce("price_cents", "variant__rrp_cents"),
        )
        .filter(distance_km__lte=radius_km)
        .order_by("distance_km", "store_id")
        .values_list("store_id", "distance_km", "available", "price")[:limit]
    )
    stores = Store.objects.in_bulk([store_id for store_id, *_rest in offers])
    return [
        NearbyOffer(
            store=stores[store_id], distance_km=distance, available=available, price_cents=price
        )
        for store_id, distance, available, price in offers
    ]


@dataclass(frozen=True)
class VariantAvailability:
    variant_id: int
    available: int = 0
    store_count: int = 0
    warehouse_available: int = 0
    min_price_cents: int | None = None
    max_price_cents: int | None = None

    @property
    def in_stock(self) -> bool:
        return self.available > 0


def network_availability(variant_ids) -> dict[int, VariantAvailability]:
    """Per variant: units available in the network's active locations, how many selling stores
    have it, the warehouse's share, and the range of store prices (a row without a store price
    sells at the RRP). Two queries: the aggregate reads only the stock table (an index-only scan
    of stock_by_variant) and the RRPs come after, for the variants that need them."""
    variant_ids = list(variant_ids)
    rows = list(
        StockLevel.objects.filter(
            variant_id__in=variant_ids, available__gt=0, store__status=Store.Status.ACTIVE
        )
        .values("variant_id")
        .annotate(
            total=Sum("available"),
            stores=Count("store_id", filter=~Q(store__kind=Store.Kind.WAREHOUSE)),
            warehouse=Coalesce(Sum("available", filter=Q(store__kind=Store.Kind.WAREHOUSE)), 0),
            low=Min("price_cents"),
            high=Max("price_cents"),
            at_rrp=Count("store_id", filter=Q(price_cents__isnull=True)),
        )
        .order_by()
    )
    rrp = dict(
        Variant.objects.filter(pk__in=[row["variant_id"] for row in rows if row["at_rrp"]])
        .order_by()
        .values_list("pk", "rrp_cents")
    )
    found = {}
    for row in rows:
        prices = [price for price in (row["low"], row["high"]) if price is not None]
        if row["at_rrp"]:
            prices.append(rrp[row["variant_id"]])
        found[row["variant_id"]] = VariantAvailability(
            variant_id=row["variant_id"],
            available=row["total"],
            store_count=row["stores"],
            warehouse_available=row["warehouse"],
            min_price_cents=min(prices),
            max_price_cents=max(prices),
        )
    return {pk: found.get(pk, VariantAvailability(variant_id=pk)) for pk in variant_ids}


def product_availability(product) -> dict[int, VariantAvailability]:
    return network_availability(
        product.variants.filter(is_active=True).order_by().values_list("pk", flat=True)
    )


# A store's own stock ----------------------------------------------------------------------


def store_stock(*, store: Store, query: str = "", availability: str = "", category_ids=None):
    """A store's stock rows for its back-office and the API, filtered; newest changes first."""
    levels = StockLevel.objects.for_store(store).select_related("variant__product")
    query = (query or "").strip()
    if query:
        levels = levels.filter(
            Q(variant__sku__icontains=query)
            | Q(variant__gtin=query)
            | Q(variant__product__name__icontains=query)
        )
    if availability == "available":
        levels = levels.filter(available__gt=0)
    elif availability == "unavailable":
        levels = levels.filter(available=0)
    if category_ids:
        levels = levels.filter(variant__product__category_id__in=category_ids)
    return levels.order_by("variant__product__name", "variant__sku")


def store_movements(*, store: Store, variant_id: int | None = None):
    movements = StockMovement.objects.filter(store=store).select_related("variant__product")
    if variant_id is not None:
        movements = movements.filter(variant_id=variant_id)
    return movements.order_by("-created_at", "-id")
