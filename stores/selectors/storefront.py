"""The storefront's catalogue with the network's offers: product cards' summaries, listing
filters and sorts, search, a store's page (its products and its schema.org data), a product's
schema.org data."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db.models import (
    BigIntegerField,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce

from catalog.models import Product, Variant
from catalog.selectors import published_products, search_products

from ..geo import bounding_box, distance_km_expression
from ..models import StockLevel, Store
from ..opening_hours import SpecialDays, opening_hours_specification
from .availability import VariantAvailability
from .locations import NEAR_RADIUS_KM, CustomerLocation


def _live_offers() -> QuerySet[StockLevel]:
    """Stock levels customers can buy from: available, in an active location (warehouses
    included: they ship home deliveries), of an active variant."""
    return StockLevel.objects.filter(
        in_stock=True, store__status=Store.Status.ACTIVE, variant__is_active=True
    )


def with_offer_summary(products: QuerySet[Product]) -> QuerySet[Product]:
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


def available_near(location: CustomerLocation, radius_km: float = NEAR_RADIUS_KM) -> Exists:
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
    category_ids: Iterable[int],
    brands: Iterable[str] = (),
    min_price_cents: int | None = None,
    max_price_cents: int | None = None,
    in_stock: bool = False,
    near: CustomerLocation | None = None,
    sort: str = "name",
) -> QuerySet[Product]:
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
        products = products.filter(available_near(near))
    return products.order_by(*CATALOGUE_SORTS.get(sort, CATALOGUE_SORTS["name"]))


def searched_products(query: str) -> QuerySet[Product]:
    """The storefront search's products (catalog.selectors.search_products) with their offers."""
    return with_offer_summary(search_products(query)).prefetch_related("images")


def products_available_in_store(*, store: Store, limit: int = 8) -> list[Product]:
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


def store_structured_data(
    store: Store,
    *,
    url: str,
    network_name: str,
    special_days: SpecialDays | None = None,
    image_url: str = "",
) -> dict:
    """The store as schema.org `Store` JSON-LD, for local search engines: its week's hours and
    its coming special days (hours.special_days_between), its words and photo."""
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
    if store.description:
        data["description"] = store.description
    if image_url:
        data["image"] = image_url
    specification = opening_hours_specification(store.opening_hours, special_days)
    if specification:
        data["openingHoursSpecification"] = specification
    return data


IN_STOCK = "https://schema.org/InStock"
OUT_OF_STOCK = "https://schema.org/OutOfStock"


def _price(cents: int) -> str:
    return f"{Decimal(cents) / 100:.2f}"


def product_structured_data(
    product: Product,
    variant: Variant,
    *,
    availability: VariantAvailability | None,
    reduced_price_cents: int | None,
    url: str,
    image_urls: list[str],
) -> dict:
    """The model shown on the product page as schema.org `Product` JSON-LD, for search engines'
    shopping results, with the prices the page shows (VAT included): the range of the stores'
    prices and how many stores have it, the network's price when its warehouse ships it, out of
    stock when nobody has it."""
    data: dict = {
        "@context": "https://schema.org",
        "@type": "Product",
        "@id": url,
        "name": product.name,
        "url": url,
        "sku": variant.sku,
        "brand": {"@type": "Brand", "name": product.brand},
    }
    if variant.gtin:
        data["gtin"] = variant.gtin
    if product.description:
        data["description"] = product.description
    if image_urls:
        data["image"] = image_urls
    network_price = reduced_price_cents if reduced_price_cents is not None else variant.rrp_cents
    prices, sellers = [], 0
    if availability is not None and availability.store_count:
        prices += [availability.min_price_cents, availability.max_price_cents]
        sellers += availability.store_count
    if availability is not None and availability.warehouse_available:
        prices.append(network_price)
        sellers += 1
    if not prices:
        offer = {"@type": "Offer", "price": _price(network_price), "availability": OUT_OF_STOCK}
    elif len(set(prices)) == 1 and sellers == 1:
        offer = {"@type": "Offer", "price": _price(prices[0]), "availability": IN_STOCK}
    else:
        offer = {
            "@type": "AggregateOffer",
            "lowPrice": _price(min(prices)),
            "highPrice": _price(max(prices)),
            "offerCount": sellers,
            "availability": IN_STOCK,
        }
    data["offers"] = {**offer, "priceCurrency": "EUR", "url": url}
    return data
