"""Writing the price history that the Omnibus reference of a reduction is read from.

Every writer of a price calls one of these after saving: HQ's own price (the RRP) from the admin,
the import and the demo loader; a store's offer price from the stores app (one change, or a feed
batch). `catalog.services` re-exports them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import connection
from django.db.models import F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from . import cache
from .models import PriceHistory, Variant

WRITE_BATCH = 1_000


def record_hq_price_changes(
    *, variant_ids: Iterable[int], source: str, at: datetime | None = None
) -> int:
    """Write a history row for each of `variant_ids` whose price (the RRP) differs from the last
    one recorded: idempotent, so every writer of variants (admin, import) calls it after
    saving. Returns the number of rows written."""
    at = at or timezone.now()
    ids = list(variant_ids)
    if connection.vendor == "postgresql":
        # One statement however many variants (an import writes 20,000 in one go).
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO catalog_pricehistory (variant_id, store_id, price_cents, started_at,"
                " source) SELECT v.id, NULL, v.rrp_cents, %s, %s FROM catalog_variant v"
                " WHERE v.id = ANY(%s::bigint[]) AND v.rrp_cents IS DISTINCT FROM ("
                " SELECT h.price_cents FROM catalog_pricehistory h WHERE h.variant_id = v.id"
                " AND COALESCE(h.store_id, 0) = 0 ORDER BY h.started_at DESC, h.id DESC LIMIT 1)",
                [at, source, ids],
            )
            return cursor.rowcount
    latest = (
        PriceHistory.objects.alias(seller=Coalesce("store_id", Value(0)))
        .filter(variant_id=OuterRef("pk"), seller=0)
        .order_by("-started_at", "-pk")
        .values("price_cents")[:1]
    )
    rows = []
    for start in range(0, len(ids), WRITE_BATCH):
        changed = (
            Variant.objects.filter(pk__in=ids[start : start + WRITE_BATCH])
            .annotate(last=Subquery(latest))
            .filter(Q(last__isnull=True) | ~Q(last=F("rrp_cents")))
            .values_list("pk", "rrp_cents")
        )
        rows += [
            PriceHistory(variant_id=pk, price_cents=price, started_at=at, source=source)
            for pk, price in changed
        ]
    PriceHistory.objects.bulk_create(rows, batch_size=WRITE_BATCH)
    if rows:
        cache.bump(cache.PRICES)
    return len(rows)


def record_offer_price(
    *, variant_id: int, store_id: int, price_cents: int, source: str, at: datetime | None = None
) -> PriceHistory:
    """A store's offer of `variant_id` is sold at `price_cents` from `at` (its effective price:
    the RRP when the store sells at it). The stores app calls it on every price change."""
    return PriceHistory.objects.create(
        variant_id=variant_id,
        store_id=store_id,
        price_cents=price_cents,
        started_at=at or timezone.now(),
        source=source,
    )


def record_offer_prices(
    *, store_id: int, prices: list[tuple[int, int]], source: str, at: datetime | None = None
) -> None:
    """Many (variant id, price cents) of one store's offers at once (a feed batch)."""
    at = at or timezone.now()
    PriceHistory.objects.bulk_create(
        [
            PriceHistory(
                variant_id=variant_id,
                store_id=store_id,
                price_cents=price,
                started_at=at,
                source=source,
            )
            for variant_id, price in prices
        ],
        batch_size=WRITE_BATCH,
    )
    cache.bump(cache.PRICES)
