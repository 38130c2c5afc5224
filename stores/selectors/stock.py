"""A store's own stock, for its back-office and the API: rows, the dashboard card, movements,
and the holds on stock (with HQ's check that `reserved` matches them)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from network_marketplace.search import every_word

from ..models import Reservation, StockLevel, StockMovement, Store


def store_stock(
    *,
    store: Store,
    query: str = "",
    availability: str = "",
    category_ids: Iterable[int] | None = None,
) -> QuerySet[StockLevel]:
    """A store's stock rows for its back-office and the API, filtered, by product name. Every
    word of `query` must be in the product's name (accents ignored, as on the storefront) or
    the SKU; or `query` is the GTIN."""
    levels = StockLevel.objects.for_store(store).select_related("variant__product")
    query = (query or "").strip()
    if query:
        levels = levels.filter(
            Q(variant__gtin=query)
            | every_word(
                query,
                "variant__product__name",
                also=lambda word: Q(variant__sku__icontains=word),
            )
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


def store_movements(*, store: Store, variant_id: int | None = None) -> QuerySet[StockMovement]:
    movements = StockMovement.objects.filter(store=store).select_related("variant__product")
    if variant_id is not None:
        movements = movements.filter(variant_id=variant_id)
    return movements.order_by("-created_at", "-id")


def reservations_of(holder: str) -> QuerySet[Reservation]:
    """A cart's or an order's holds, newest first, every status."""
    return Reservation.objects.filter(holder=holder).select_related("store", "variant__product")


def reserved_mismatches(*, store: Store | None = None) -> QuerySet[StockLevel]:
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
