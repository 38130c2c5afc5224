"""The storefront's catalogue and store pages: what the network sells and where it is in stock.

These pages combine the catalogue with the stores' offers, which this app owns. The customer's
location (a postal code, a town or their device's position) is remembered in a cookie so the
availability panel, the "near me" filter and the store locator share it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import VAT_PERCENT
from catalog.selectors import (
    brands_of,
    category_tree,
    choose_variant,
    clean_search_text,
    product_reductions,
)
from network_marketplace.public_urls import public_url

from . import hooks
from .listing_cache import cached_fragment, cached_product
from .opening_hours import STORE_TIME_ZONE, describe_status, opening_status, weekly_hours
from .remembered_place import remember_location, remembered_location
from .selectors import (
    NEAR_RADIUS_KM,
    POSTAL_CODE_RE,
    CustomerLocation,
    catalogue_products,
    is_valid_point,
    locate,
    offer_reductions,
    product_structured_data,
    products_available_in_store,
    selling_stores,
    special_days_from,
    store_structured_data,
    stores_near,
    stores_with_variant_near,
    upcoming_special_days,
)
from .storefront_forms import CatalogueFilterForm, euros_to_cents
from .templatetags.storefront import distance, euros

PRODUCTS_PER_PAGE = 24
NEARBY_OFFERS = 10
NEAREST_STORES = 12
NEAREST_ON_MAP = 3
# The store locator lists the nearest stores whatever their distance: mainland France fits.
LOCATOR_RADIUS_KM = 1000
# The store page lists (and its structured data carries) the special days of the coming weeks.
SPECIAL_DAYS_SHOWN = 60


# The customer's location ------------------------------------------------------------------


@dataclass(frozen=True)
class LocationLookup:
    location: CustomerLocation | None
    query: str = ""  # what the customer typed, to fill the form again
    error: str = ""


def customer_location(request, *, param: str = "postal_code") -> LocationLookup:
    """The location given in this request (a postal code or town in `param`, or the `lat`/`lng`
    of the browser's geolocation), remembered in a cookie (stores.remembered_place); else the
    remembered one; else,
    for a signed-in customer who chose her store, that store's place."""
    remembered = remembered_location(request)
    query = clean_search_text(request.GET.get(param, ""))
    if query:
        location = locate(query)
        if location is None:
            compact = query.replace(" ", "")
            if compact.isdigit() and not POSTAL_CODE_RE.match(compact):
                error = _("A French postal code has 5 digits.")
            else:
                error = _(
                    "We do not know “%(query)s”. Check the postal code, or try the name of "
                    "the town."
                ) % {"query": query}
            return LocationLookup(None, query=query, error=error)
        remember_location(request, location)
        return LocationLookup(location, query=location.postal_code or location.label)
    if "lat" in request.GET or "lng" in request.GET:
        try:
            latitude, longitude = float(request.GET["lat"]), float(request.GET["lng"])
        except (KeyError, ValueError):
            latitude = longitude = float("nan")
        if not is_valid_point(latitude, longitude):
            return LocationLookup(None, error=_("Your position could not be read."))
        location = CustomerLocation(round(latitude, 5), round(longitude, 5), _("your position"))
        remember_location(request, location)
        return LocationLookup(location)
    if remembered is not None:
        return LocationLookup(remembered, query=remembered.postal_code or remembered.label)
    store = favourite_store(request)
    if store is not None:
        location = CustomerLocation(
            float(store.latitude), float(store.longitude), _("your store"), store.postal_code
        )
        return LocationLookup(location, query=store.postal_code)
    return LocationLookup(None)


def favourite_store(request):
    """The store the signed-in customer chose as hers (None for a guest), read once a request."""
    if not hasattr(request, "_favourite_store"):
        user = request.user
        request._favourite_store = hooks.customer_store(user) if user.is_authenticated else None
    return request._favourite_store


def _store_point(store, **extra) -> dict:
    """A map marker: the list next to the map stays the accessible source of the same data."""
    return {
        "name": store.name,
        "url": reverse("stores:detail", args=[store.slug]),
        "lat": float(store.latitude),
        "lng": float(store.longitude),
        "address": f"{store.address_line}, {store.postal_code} {store.city}",
        **extra,
    }


def _you_are_here(location: CustomerLocation | None) -> dict | None:
    if location is None:
        return None
    return {"lat": location.latitude, "lng": location.longitude, "label": location.label}


# Catalogue --------------------------------------------------------------------------------


def category_listing(request, slug):
    tree = category_tree()
    category = tree.get(slug)
    if category is None:
        raise Http404
    category_ids = tree.descendant_ids(category)
    subcategories = tree.children(category)
    form = CatalogueFilterForm(
        request.GET or None, subcategories=subcategories, brands=brands_of(category_ids)
    )
    filters = form.valid_data() if form.is_bound else {}
    if filters.get("sub"):
        chosen = next(child for child in subcategories if child.slug == filters["sub"])
        category_ids = tree.descendant_ids(chosen)

    lookup = customer_location(request)
    if lookup.error and form.is_bound:
        form.add_error("postal_code", lookup.error)
    near = None
    if filters.get("near"):
        if lookup.location is None:
            if not lookup.error:
                form.add_error(
                    "near", _("Give your postal code to see what the stores near you have.")
                )
        else:
            near = lookup.location

    active_filters = any(
        filters.get(name) for name in ("sub", "brand", "min_price", "max_price", "in_stock")
    ) or bool(near)

    def results() -> dict:
        products = catalogue_products(
            category_ids=category_ids,
            brands=filters.get("brand") or (),
            min_price_cents=euros_to_cents(filters.get("min_price")),
            max_price_cents=euros_to_cents(filters.get("max_price")),
            in_stock=bool(filters.get("in_stock")),
            near=near,
            sort=filters.get("sort") or "name",
        )
        page = Paginator(products, PRODUCTS_PER_PAGE).get_page(request.GET.get("page"))
        _mark_reductions(page)
        return {"page": page, "active_filters": active_filters}

    path = tree.path(category)
    return render(
        request,
        "storefront/category.html",
        {
            "category": category,
            "breadcrumbs": path[:-1],
            "nav_category": path[0].slug,
            "nav_categories": tree.roots(),
            "subcategories": subcategories,
            "form": form,
            "results": cached_fragment(
                request,
                "category-results",
                template="storefront/_category_results.html",
                context=results,
                place=near,
                count=lambda values: values["page"].paginator.count,
            ),
            "location": lookup.location,
            "location_query": lookup.query,
            "near_radius_km": NEAR_RADIUS_KM,
            "active_filters": active_filters,
        },
    )


def _mark_reductions(page) -> None:
    """Give each product of a listing page its running HQ reduction (or None): one query."""
    page.object_list = list(page.object_list)
    reductions = product_reductions(page.object_list, now=timezone.now())
    for product in page.object_list:
        product.reduction = reductions.get(product.pk)


def product_detail(request, slug):
    page = cached_product(slug)
    if page is None:
        raise Http404
    product, variants, availability = page.product, page.variants, page.availability
    variant = choose_variant(variants, request.GET.get("variant"))
    lookup = customer_location(request)
    offers = []
    if variant is not None and lookup.location is not None:
        offers = stores_with_variant_near(
            variant_id=variant.pk,
            latitude=lookup.location.latitude,
            longitude=lookup.location.longitude,
            radius_km=NEAR_RADIUS_KM,
            limit=NEARBY_OFFERS,
        )
    mine = favourite_store(request)
    if mine is not None:
        # Her store first: the pickup she chose by default.
        offers = sorted(offers, key=lambda offer: offer.store.pk != mine.pk)
    announced = [(offer.store.pk, variant.pk) for offer in offers if offer.reduction_announced]
    if announced:
        reductions = offer_reductions(announced, now=timezone.now())
        offers = [
            replace(offer, reduction=reductions.get((offer.store.pk, variant.pk)))
            for offer in offers
        ]
    transfer = None
    if variant is not None and lookup.location is not None:
        transfer = hooks.transfer_pickup_offer(
            variant_id=variant.pk,
            latitude=lookup.location.latitude,
            longitude=lookup.location.longitude,
            exclude_store_ids=[
                offer.store.pk for offer in offers if offer.store.offers("click_collect")
            ],
        )
    tree = category_tree()
    path = tree.path(product.category)
    choices = [
        {
            "variant": item,
            "label": item.option_label or _("Standard"),
            "availability": availability.get(item.pk),
            "selected": item == variant,
        }
        for item in variants
    ]
    hq_reduction = page.hq_reductions.get(variant.pk) if variant else None
    structured_data = None
    if variant is not None:
        structured_data = product_structured_data(
            product,
            variant,
            availability=availability.get(variant.pk),
            reduced_price_cents=hq_reduction.price_cents if hq_reduction else None,
            url=public_url(reverse("catalogue:product", args=[product.slug])),
            image_urls=[public_url(image.file.url) for image in page.images],
        )
    return render(
        request,
        "storefront/product_detail.html",
        {
            "product": product,
            "images": page.images,
            "attributes": page.attributes,
            "breadcrumbs": path,
            "nav_category": path[0].slug,
            "nav_categories": tree.roots(),
            "variant": variant,
            "choices": choices,
            "availability": availability.get(variant.pk) if variant else None,
            "vat_percent": VAT_PERCENT.get(product.vat_rate),
            "lookup": lookup,
            "location": lookup.location,
            "location_keep": [("variant", variant.sku)] if len(variants) > 1 else [],
            "offers": offers,
            "transfer": transfer,
            "favourite_store": mine,
            "hq_reduction": hq_reduction,
            "near_radius_km": NEAR_RADIUS_KM,
            "structured_data": structured_data,
            "near_you": _near_you_shows(
                lookup, offers, transfer, mine, availability.get(variant.pk) if variant else None
            ),
            # Called by the template only when the panel is rendered, not read from its copy.
            "map_points": lambda: [
                _store_point(
                    offer.store,
                    detail=f"{distance(offer.distance_km)} · {offer.band_label} · "
                    f"{euros(offer.price_cents)}",
                )
                for offer in offers
            ],
            "you_are_here": _you_are_here(lookup.location),
        },
    )


def _near_you_shows(lookup, offers, transfer, mine, availability) -> tuple:
    """Everything the product page's "near you" panel shows of this request's live reads: its
    rendered copy is kept under these values (with the page's address, the language and the
    catalogue versions: {% storefront_part %}), so a stock or price change near the visitor
    makes a new copy at once. Of a store it shows its name and address too, which follow its
    id and the stores' version (a store's save), as in the sellers' identity."""
    location = lookup.location
    return (
        lookup.query,
        str(lookup.error),
        (location.label, location.latitude, location.longitude) if location else None,
        tuple(
            (
                offer.store.pk,
                offer.store.offers_click_collect,
                offer.store.offers_reserve_collect,
                offer.distance_km,
                offer.band,
                offer.price_cents,
                offer.reduction,
            )
            for offer in offers
        ),
        mine.pk if mine else None,
        (
            tuple((store.pk, store.distance_km) for store in transfer.stores),
            transfer.delay_days,
        )
        if transfer
        else None,
        bool(availability and availability.warehouse_available),
    )


# Stores -----------------------------------------------------------------------------------


def store_list(request):
    """The store locator: every selling store, and the nearest ones to a postal code or town."""
    stores = list(selling_stores().order_by("city", "name"))
    lookup = customer_location(request, param="q")
    nearest = []
    if lookup.location is not None:
        nearest = stores_near(
            latitude=lookup.location.latitude,
            longitude=lookup.location.longitude,
            radius_km=LOCATOR_RADIUS_KM,
            limit=NEAREST_STORES,
        )
    return render(
        request,
        "storefront/store_list.html",
        {
            "stores": stores,
            "nearest": nearest,
            "lookup": lookup,
            "location": lookup.location,
            "map_points": _locator_points(stores, nearest),
            "you_are_here": _you_are_here(lookup.location),
        },
    )


def _locator_points(stores, nearest) -> list[dict]:
    """Every store on the map; the map zooms on the nearest few (`focus`) when there are."""
    distances = {store.pk: store.distance_km for store in nearest}
    focus = {store.pk for store in nearest[:NEAREST_ON_MAP]}
    points = []
    for store in stores:
        extra = {}
        if store.pk in distances:
            extra["detail"] = distance(distances[store.pk])
        if store.pk in focus:
            extra["focus"] = True
        points.append(_store_point(store, **extra))
    return points


def store_detail(request, slug):
    store = get_object_or_404(selling_stores(), slug=slug)
    # Its special days (closures, holiday hours) over the coming weeks: the status now, the list
    # on the page and the structured data all read them. One query.
    today = timezone.localdate(timezone=STORE_TIME_ZONE)
    coming = list(
        upcoming_special_days(store=store, today=today - timedelta(days=1)).filter(
            day__lte=today + timedelta(days=SPECIAL_DAYS_SHOWN)
        )
    )
    special = special_days_from(coming)
    status = opening_status(store.opening_hours, special_days=special)
    url = public_url(reverse("stores:detail", args=[store.slug]))
    photo_url = public_url(store.photo.url) if store.photo else ""
    services = [
        (store.offers_click_collect, _("Click & collect"), _("Order online, collect here.")),
        (
            store.offers_ship_from_store,
            _("Ship from store"),
            _("Home delivery from this store's stock."),
        ),
        (
            store.offers_reserve_collect,
            _("Reserve & collect"),
            _("Have an item held, try it here and pay in store."),
        ),
        (store.accepts_returns, _("Returns"), _("Bring back an online order bought anywhere.")),
    ]
    return render(
        request,
        "storefront/store_detail.html",
        {
            "store": store,
            "hours": weekly_hours(store.opening_hours),
            "special_days": [row for row in coming if row.day >= today],
            "photo_url": photo_url,
            "status": status,
            "status_label": describe_status(status),
            "services": [(label, help_text) for offered, label, help_text in services if offered],
            "products": products_available_in_store(store=store),
            "structured_data": store_structured_data(
                store,
                url=url,
                network_name=settings.NETWORK_NAME,
                special_days={day: r for day, r in special.items() if day >= today},
                image_url=photo_url,
            ),
            "map_points": [_store_point(store)],
        },
    )
