"""Reads on the network's stores, used by pages, the API and other apps."""

from __future__ import annotations

import hmac
import math
import re
from dataclasses import dataclass

from django.db.models import (
    Avg,
    BigIntegerField,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import Variant
from catalog.selectors import (
    Reduction,
    clean_search_text,
    omnibus_reference,
    promotion_running,
    published_products,
    reduction_of,
    search_products,
)
from network_marketplace.search import fold

from .geo import bounding_box, distance_km_expression
from .models import (
    ApiKey,
    PostalCode,
    Reservation,
    StockLevel,
    StockMovement,
    Store,
    StoreMembership,
)
from .opening_hours import opening_hours_specification
from .services import API_KEY_SCHEME, hash_api_key_secret


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


def may_set_prices(principal, store: Store, *, membership=None) -> bool:
    """Who may change a store's prices: HQ, the store's owners and managers, and the store's
    API keys (its POS/ERP). Staff members count stock but don't price. `store` must already be
    one the principal may see (stores_visible_to); `membership` saves a query when known."""
    api_key = getattr(principal, "api_key", None)
    if api_key is not None:
        return api_key.is_hq or api_key.store_id == store.pk
    if not getattr(principal, "is_authenticated", False):
        return False
    if principal.is_staff:
        return True
    membership = membership or membership_for(user=principal, store=store)
    return bool(membership and membership.can_manage)


def selling_stores():
    """The stores customers can buy from, for the storefront."""
    return Store.objects.selling()


def search_stores(query: str, *, limit: int = 20):
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


# Geography --------------------------------------------------------------------------------


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
    reduction: Reduction | None = None  # set by the page when the offer is announced as reduced

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
    their price. Three queries: the offers, read from the stock_by_variant index alone (an
    index-only scan of the variant's rows in stock, joined to the stores in the box), then
    the quantities of the few offers kept (the index holds none, see StockLevel), the stores."""
    box = {
        f"store__{key}": value
        for key, value in bounding_box(latitude, longitude, radius_km).items()
    }
    offers = list(
        StockLevel.objects.filter(
            variant_id=variant_id,
            in_stock=True,
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
        .values_list("store_id", "distance_km", "price")[:limit]
    )
    if not offers:
        return []
    store_ids = [store_id for store_id, *_rest in offers]
    available = dict(
        StockLevel.objects.filter(variant_id=variant_id, store_id__in=store_ids)
        .order_by()
        .values_list("store_id", "available")
    )
    stores = Store.objects.in_bulk(store_ids)
    return [
        NearbyOffer(
            store=stores[store_id],
            distance_km=distance,
            available=available[store_id],
            price_cents=price,
        )
        for store_id, distance, price in offers
        if available.get(store_id)  # sold out between the two reads
    ]


@dataclass(frozen=True)
class VariantAvailability:
    """Where a variant can be had in the network: how many selling stores have it in stock,
    the units at the warehouses (home delivery), and the range of its prices."""

    variant_id: int
    store_count: int = 0
    warehouse_available: int = 0
    min_price_cents: int | None = None
    max_price_cents: int | None = None

    @property
    def in_stock(self) -> bool:
        return bool(self.store_count or self.warehouse_available)


def network_availability(variant_ids) -> dict[int, VariantAvailability]:
    """Per variant: how many selling stores in the network's active locations have it in stock,
    the active warehouses' units, and the range of the prices of the locations that have it (a
    row without a store price sells at the RRP). Three queries at most: the counts and prices
    read only the stock_by_variant index (an index-only scan of the rows in stock), then the
    warehouses' quantities (a few rows, which the index does not hold) and the RRPs the prices
    need. Units are not summed over the network: that would read every store's row."""
    variant_ids = list(variant_ids)
    selling = ~Q(store__kind=Store.Kind.WAREHOUSE)
    rows = list(
        StockLevel.objects.filter(
            variant_id__in=variant_ids, in_stock=True, store__status=Store.Status.ACTIVE
        )
        .values("variant_id")
        .annotate(
            stores=Count("store_id", filter=selling),
            warehouses=Count("store_id", filter=~selling),
            low=Min("price_cents"),
            high=Max("price_cents"),
            at_rrp=Count("store_id", filter=Q(price_cents__isnull=True)),
        )
        .order_by()
    )
    in_warehouses = [row["variant_id"] for row in rows if row["warehouses"]]
    warehouse_units = (
        dict(
            StockLevel.objects.filter(
                variant_id__in=in_warehouses,
                in_stock=True,
                store__kind=Store.Kind.WAREHOUSE,
                store__status=Store.Status.ACTIVE,
            )
            .values("variant_id")
            .annotate(units=Sum("available"))
            .order_by()
            .values_list("variant_id", "units")
        )
        if in_warehouses
        else {}
    )
    at_rrp = [row["variant_id"] for row in rows if row["at_rrp"]]
    rrp = (
        dict(Variant.objects.filter(pk__in=at_rrp).order_by().values_list("pk", "rrp_cents"))
        if at_rrp
        else {}
    )
    found = {}
    for row in rows:
        prices = [price for price in (row["low"], row["high"]) if price is not None]
        if row["at_rrp"]:
            prices.append(rrp[row["variant_id"]])
        found[row["variant_id"]] = VariantAvailability(
            variant_id=row["variant_id"],
            store_count=row["stores"],
            warehouse_available=warehouse_units.get(row["variant_id"], 0),
            min_price_cents=min(prices, default=None),
            max_price_cents=max(prices, default=None),
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
        levels = levels.filter(in_stock=True)
    elif availability == "unavailable":
        levels = levels.filter(in_stock=False)
    if category_ids:
        levels = levels.filter(variant__product__category_id__in=category_ids)
    return levels.order_by("variant__product__name", "variant__sku")


def store_stock_summary(store: Store) -> dict:
    """The stock card of a store's dashboard: rows, rows available online, units available."""
    return StockLevel.objects.for_store(store).aggregate(
        rows=Count("pk"),
        available_rows=Count("pk", filter=Q(in_stock=True)),
        units_available=Coalesce(Sum("available"), 0),
    )


def store_movements(*, store: Store, variant_id: int | None = None):
    movements = StockMovement.objects.filter(store=store).select_related("variant__product")
    if variant_id is not None:
        movements = movements.filter(variant_id=variant_id)
    return movements.order_by("-created_at", "-id")


# Storefront: where the customer is, and the catalogue with the network's offers ------------

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
    def from_dict(cls, data) -> CustomerLocation | None:
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


def locate(query: str) -> CustomerLocation | None:
    """The centre of a French postal code ("69002") or of a town ("Villeurbanne"), or None.

    A town is matched on its exact name first, then on the start of its name; when it covers
    several postal codes the centre is their mean."""
    query = clean_search_text(query)
    if not query:
        return None
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


def _mean_point(rows) -> tuple[float, float]:
    """The mean of (label, latitude, longitude) rows: the centre of a code or a town."""
    return (
        float(sum(lat for _label, lat, _lng in rows) / len(rows)),
        float(sum(lng for _label, _lat, lng in rows) / len(rows)),
    )


def _live_offers():
    """Stock levels customers can buy from: available, in an active location (warehouses
    included: they ship home deliveries), of an active variant."""
    return StockLevel.objects.filter(
        in_stock=True, store__status=Store.Status.ACTIVE, variant__is_active=True
    )


def with_offer_summary(products):
    """Annotate products with what a product card shows, as correlated subqueries:
    `from_price_cents` (the lowest price of a live offer, else the lowest recommended price),
    `store_count` (selling stores with stock) and `ships_from_warehouse`."""
    offers = _live_offers().filter(variant__product=OuterRef("pk"))
    lowest_offer = (
        offers.annotate(price=Coalesce("price_cents", "variant__rrp_cents"))
        .order_by("price")
        .values("price")[:1]
    )
    lowest_rrp = (
        Variant.objects.filter(product=OuterRef("pk"), is_active=True)
        .order_by("rrp_cents")
        .values("rrp_cents")[:1]
    )
    store_count = (
        offers.exclude(store__kind=Store.Kind.WAREHOUSE)
        .order_by()
        .values("variant__product")
        .annotate(count=Count("store_id", distinct=True))
        .values("count")
    )
    return products.annotate(
        from_price_cents=Coalesce(
            Subquery(lowest_offer, output_field=BigIntegerField()),
            Subquery(lowest_rrp, output_field=BigIntegerField()),
        ),
        store_count=Coalesce(Subquery(store_count, output_field=IntegerField()), 0),
        ships_from_warehouse=Exists(offers.filter(store__kind=Store.Kind.WAREHOUSE)),
    )


def _available_near(location: CustomerLocation, radius_km: float = NEAR_RADIUS_KM):
    box = {
        f"store__{key}": value
        for key, value in bounding_box(location.latitude, location.longitude, radius_km).items()
    }
    return Exists(
        _live_offers()
        .filter(variant__product=OuterRef("pk"), **box)
        .exclude(store__kind=Store.Kind.WAREHOUSE)
        .annotate(
            distance=distance_km_expression(location.latitude, location.longitude, prefix="store__")
        )
        .filter(distance__lte=radius_km)
    )


CATALOGUE_SORTS = {
    "name": ("name", "pk"),
    "price": ("from_price_cents", "name", "pk"),
    "-price": ("-from_price_cents", "name", "pk"),
}


def catalogue_products(
    *,
    category_ids,
    brands=(),
    min_price_cents: int | None = None,
    max_price_cents: int | None = None,
    in_stock: bool = False,
    near: CustomerLocation | None = None,
    sort: str = "name",
):
    """The published products of these categories for a listing page, with their offer
    summary (see with_offer_summary), filtered and sorted. "In stock" means a live offer
    anywhere in the network; `near` keeps products a selling store near that point has."""
    products = with_offer_summary(
        published_products().filter(category_id__in=list(category_ids))
    ).prefetch_related("images")
    if brands:
        products = products.filter(brand__in=list(brands))
    if min_price_cents is not None:
        products = products.filter(from_price_cents__gte=min_price_cents)
    if max_price_cents is not None:
        products = products.filter(from_price_cents__lte=max_price_cents)
    if in_stock:
        products = products.filter(Exists(_live_offers().filter(variant__product=OuterRef("pk"))))
    if near is not None:
        products = products.filter(_available_near(near))
    return products.order_by(*CATALOGUE_SORTS.get(sort, CATALOGUE_SORTS["name"]))


def searched_products(query: str):
    """The storefront search's products (catalog.selectors.search_products) with their offers."""
    return with_offer_summary(search_products(query)).prefetch_related("images")


def products_available_in_store(*, store: Store, limit: int = 8):
    """A few published products this store has available, with the store's lowest price."""
    levels = StockLevel.objects.for_store(store).filter(
        variant__product=OuterRef("pk"), variant__is_active=True, in_stock=True
    )
    lowest = (
        levels.annotate(price=Coalesce("price_cents", "variant__rrp_cents"))
        .order_by("price")
        .values("price")[:1]
    )
    return list(
        published_products()
        .filter(Exists(levels))
        .annotate(store_price_cents=Subquery(lowest, output_field=BigIntegerField()))
        .prefetch_related("images")
        .order_by("name", "pk")[:limit]
    )


def store_structured_data(store: Store, *, url: str, network_name: str) -> dict:
    """The store as schema.org `Store` JSON-LD, for local search engines."""
    data = {
        "@context": "https://schema.org",
        "@type": "Store",
        "@id": url,
        "name": store.name,
        "url": url,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": store.address_line,
            "postalCode": store.postal_code,
            "addressLocality": store.city,
            "addressCountry": store.country,
        },
        "geo": {
            "@type": "GeoCoordinates",
            "latitude": float(store.latitude),
            "longitude": float(store.longitude),
        },
        "brand": {"@type": "Brand", "name": network_name},
    }
    if store.phone:
        data["telephone"] = store.phone
    if store.email:
        data["email"] = store.email
    specification = opening_hours_specification(store.opening_hours)
    if specification:
        data["openingHoursSpecification"] = specification
    return data


# Catchment ----------------------------------------------------------------------------------


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


# Holds on stock (reservations) -----------------------------------------------------------------


def _due_units(now):
    """Units of a stock row's holds that expired but were not released yet (they don't count)."""
    due = (
        Reservation.objects.due_at(now)
        .filter(store_id=OuterRef("store_id"), variant_id=OuterRef("variant_id"))
        .order_by()
        .values("store_id", "variant_id")
        .annotate(units=Sum("quantity"))
        .values("units")
    )
    return Coalesce(Subquery(due, output_field=IntegerField()), 0)


def available_to_reserve(pairs, *, now=None) -> dict[tuple[int, int], int]:
    """Exact availability of these (store_id, variant_id) pairs now, for a cart or checkout page:
    on hand - safety stock - the holds that still count (`StockLevel.available` also counts the
    holds expired since the last sweep). Missing rows are 0. What `reserve_stock` would grant."""
    keys = set(pairs)
    if not keys:
        return {}
    now = now or timezone.now()
    condition = Q()
    for store_id, variant_id in keys:
        condition |= Q(store_id=store_id, variant_id=variant_id)
    rows = (
        StockLevel.objects.filter(condition)
        .annotate(due_units=_due_units(now))
        .values_list("store_id", "variant_id", "on_hand", "reserved", "safety_stock", "due_units")
    )
    found = {
        (store_id, variant_id): max(0, on_hand - (reserved - due) - safety)
        for store_id, variant_id, on_hand, reserved, safety, due in rows
    }
    return {key: found.get(key, 0) for key in keys}


def reservations_of(holder: str):
    """A cart's or an order's holds, newest first, every status."""
    return Reservation.objects.filter(holder=holder).select_related("store", "variant__product")


def reserved_mismatches(*, store: Store | None = None):
    """Stock rows whose `reserved` differs from the sum of their active holds: always empty
    while stores.services.reservations is the only writer of both (a check for HQ and tests)."""
    active = (
        Reservation.objects.active()
        .filter(store_id=OuterRef("store_id"), variant_id=OuterRef("variant_id"))
        .order_by()
        .values("store_id", "variant_id")
        .annotate(units=Sum("quantity"))
        .values("units")
    )
    levels = StockLevel.objects.all() if store is None else StockLevel.objects.for_store(store)
    return levels.annotate(
        active_units=Coalesce(Subquery(active, output_field=IntegerField()), 0)
    ).exclude(reserved=F("active_units"))


def offer_reductions(pairs, *, now=None) -> dict[tuple[int, int], Reduction]:
    """The store offers among `pairs` of (store id, variant id) whose announced reduction is
    running, with their Omnibus reference: one query however many offers (a product page's
    nearby stores, a cart)."""
    pairs = list(dict.fromkeys(pairs))
    if not pairs:
        return {}
    now = now or timezone.now()
    wanted = Q()
    for store_id, variant_id in pairs:
        wanted |= Q(store_id=store_id, variant_id=variant_id)
    rows = (
        StockLevel.objects.filter(wanted)
        .filter(promotion_running(now), price_cents__isnull=False)
        .annotate(
            reference=omnibus_reference(
                variant="variant_id", store="store_id", started="promotion_started_at"
            )
        )
        .values_list("store_id", "variant_id", "price_cents", "reference", "promotion_ends_at")
    )
    found = {}
    for store_id, variant_id, price, reference, ends_at in rows:
        reduction = reduction_of(price_cents=price, reference_cents=reference, ends_at=ends_at)
        if reduction is not None:
            found[store_id, variant_id] = reduction
    return found
