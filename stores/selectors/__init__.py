"""Reads on the network's stores, used by pages, the API and other apps, by topic: `access`
(keys, tenancy, pricing rights), `locations` (stores and customers on the map, catchment),
`availability` (where an item can be had), `stock` (a store's own stock and holds) and
`storefront` (the catalogue with the network's offers). Import from `stores.selectors`."""

from ..geo import bounding_box, distance_km_expression
from .access import active_api_key_for_secret, may_set_prices, membership_for, stores_visible_to
from .availability import (
    QUANTITY_BANDS,
    NearbyOffer,
    VariantAvailability,
    available_to_reserve,
    network_availability,
    offer_reductions,
    product_availability,
    quantity_band,
    stores_with_variant_near,
)
from .home import HomeShelves, home_shelves, most_sold_product_ids
from .hours import (
    HORIZON_DAYS,
    opening_time_after,
    special_days,
    special_days_between,
    special_days_from,
    store_pickup_slots,
    upcoming_special_days,
)
from .locations import (
    NEAR_RADIUS_KM,
    POSTAL_CODE_RE,
    CustomerLocation,
    attributed_store_for,
    is_valid_point,
    locate,
    postal_code_centroid,
    search_stores,
    selling_stores,
    stores_near,
)
from .stock import (
    reservations_of,
    reserved_mismatches,
    store_movements,
    store_stock,
    store_stock_summary,
)
from .storefront import (
    CATALOGUE_SORTS,
    catalogue_products,
    products_available_in_store,
    searched_products,
    store_structured_data,
    with_offer_summary,
)

__all__ = [
    "CATALOGUE_SORTS",
    "HORIZON_DAYS",
    "NEAR_RADIUS_KM",
    "POSTAL_CODE_RE",
    "QUANTITY_BANDS",
    "CustomerLocation",
    "HomeShelves",
    "NearbyOffer",
    "VariantAvailability",
    "active_api_key_for_secret",
    "attributed_store_for",
    "available_to_reserve",
    "bounding_box",
    "catalogue_products",
    "distance_km_expression",
    "home_shelves",
    "is_valid_point",
    "locate",
    "may_set_prices",
    "membership_for",
    "most_sold_product_ids",
    "network_availability",
    "offer_reductions",
    "opening_time_after",
    "postal_code_centroid",
    "product_availability",
    "products_available_in_store",
    "quantity_band",
    "reservations_of",
    "reserved_mismatches",
    "search_stores",
    "searched_products",
    "selling_stores",
    "special_days",
    "special_days_between",
    "special_days_from",
    "store_movements",
    "store_pickup_slots",
    "store_stock",
    "store_stock_summary",
    "store_structured_data",
    "stores_near",
    "stores_visible_to",
    "stores_with_variant_near",
    "upcoming_special_days",
    "with_offer_summary",
]
