"""Reads for fulfilments: the store's order desk (the queue of open fulfilments, the history, pick
lists, endless aisle) and the store's fulfilments as its POS reads them through the API.

Every function starts from `Fulfilment.objects.for_store(store)`: a store sees only the
fulfilments it serves (HQ reaches any store's desk through the back-office's store resolution).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Case, CharField, Count, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import Variant
from catalog.selectors import search_products
from orders.models import FulfilmentMethod
from stores.models import StockLevel, Store
from stores.selectors import (
    NearbyOffer,
    VariantAvailability,
    network_availability,
    stores_with_variant_near,
)

from .models import Fulfilment, FulfilmentEvent, FulfilmentLine
from .states import OPEN_STATUSES, can_move

S = Fulfilment.Status
HOME = FulfilmentMethod.HOME_DELIVERY
CLICK = FulfilmentMethod.CLICK_COLLECT
RESERVE = FulfilmentMethod.RESERVE_COLLECT


@dataclass(frozen=True)
class QueueBucket:
    """A tab of the order queue: what the store has to do next for these fulfilments."""

    key: str
    label: str
    hint: str


BUCKETS = (
    QueueBucket("to_accept", _("To accept"), _("Accept or reject before the deadline.")),
    QueueBucket("to_pick", _("To pick"), _("Take the items from the shelves.")),
    QueueBucket("ready", _("Ready for pickup"), _("Waiting for the customer and their code.")),
    QueueBucket("to_ship", _("To ship"), _("Picked: pack and hand to the carrier.")),
    QueueBucket("reserve", _("Reserve & collect"), _("Held for the customer to try in store.")),
)
BUCKET_KEYS = {bucket.key for bucket in BUCKETS}

# The bucket of an open fulfilment, in SQL so that counts and filters are one query.
_BUCKET = Case(
    When(status=S.AWAITING_ACCEPTANCE, then=Value("to_accept")),
    When(method=RESERVE, then=Value("reserve")),
    When(status=S.ACCEPTED, then=Value("to_pick")),
    When(status=S.PICKED, method=CLICK, then=Value("to_pick")),
    When(status=S.PICKED, method=HOME, then=Value("to_ship")),
    When(status=S.READY_FOR_PICKUP, then=Value("ready")),
    default=Value("to_pick"),
    output_field=CharField(),
)


def _with_lines(queryset: QuerySet) -> QuerySet:
    lines = FulfilmentLine.objects.select_related(
        "order_line", "order_line__variant", "order_line__variant__product"
    ).order_by("order_line_id")
    return queryset.select_related("order").prefetch_related(Prefetch("lines", queryset=lines))


def _search(queryset: QuerySet, query: str) -> QuerySet:
    """An order number (or its digits), or the customer's name or e-mail."""
    query = query.strip()
    if not query:
        return queryset
    condition = (
        Q(order__number__icontains=query)
        | Q(order__last_name__icontains=query)
        | Q(order__first_name__icontains=query)
        | Q(order__email__icontains=query)
    )
    return queryset.filter(condition)


def open_fulfilments(*, store: Store, bucket: str = "", query: str = "") -> QuerySet:
    """The store's open fulfilments, annotated with their `bucket`, soonest deadline first
    (the ready ones by the date they must be collected)."""
    queryset = (
        Fulfilment.objects.for_store(store).open().annotate(bucket=_BUCKET)
    )  # fmt: skip
    if bucket in BUCKET_KEYS:
        queryset = queryset.filter(bucket=bucket)
    return _with_lines(_search(queryset, query)).order_by("accept_deadline", "collect_before", "id")


def queue_counts(store: Store) -> dict[str, int]:
    """How many open fulfilments each tab holds, plus "open" (all) and "overdue"
    (not accepted by their deadline). One query."""
    now = timezone.now()
    rows = (
        Fulfilment.objects.for_store(store)
        .open()
        .annotate(bucket=_BUCKET)
        .values("bucket")
        .annotate(
            n=Count("id"),
            late=Count("id", filter=Q(status=S.AWAITING_ACCEPTANCE, accept_deadline__lt=now)),
        )
        .order_by()
    )
    counts = {bucket.key: 0 for bucket in BUCKETS}
    counts["open"] = counts["overdue"] = 0
    for row in rows:
        counts[row["bucket"]] = row["n"]
        counts["open"] += row["n"]
        counts["overdue"] += row["late"]
    return counts


def awaiting_count(store: Store) -> int:
    """The number in the back-office navigation: fulfilments waiting for the store's answer."""
    return Fulfilment.objects.for_store(store).filter(status=S.AWAITING_ACCEPTANCE).count()


def closed_fulfilments(*, store: Store, query: str = "") -> QuerySet:
    """The store's history: fulfilments that ended, most recent first."""
    queryset = Fulfilment.objects.for_store(store).exclude(status__in=OPEN_STATUSES)
    return _with_lines(_search(queryset, query)).order_by("-closed_at", "-id")


def fulfilment_for_store(*, store: Store, fulfilment_id: int) -> Fulfilment | None:
    """One fulfilment of the store with its order, lines and events; None for another store's."""
    return (
        _with_lines(Fulfilment.objects.for_store(store))
        .prefetch_related("events")
        .filter(pk=fulfilment_id)
        .first()
    )


def pick_list(*, store: Store, fulfilment_id: int | None = None) -> list[Fulfilment]:
    """What to take from the shelves: one fulfilment, or every accepted one of the store
    (oldest deadline first)."""
    queryset = Fulfilment.objects.for_store(store)
    if fulfilment_id is not None:
        queryset = queryset.filter(pk=fulfilment_id)
    else:
        queryset = queryset.filter(status=S.ACCEPTED)
    return list(_with_lines(queryset).order_by("accept_deadline", "id"))


# What a fulfilment's page offers: the moves states.py allows from its status, for its method.
ACTIONS = (
    ("accept", S.ACCEPTED),
    ("reject", S.REJECTED),
    ("pick", S.PICKED),
    ("ready", S.READY_FOR_PICKUP),
    ("hand_over", S.COLLECTED),
    ("ship", S.SHIPPED),
    ("purchased", S.PURCHASED_IN_STORE),
    ("not_purchased", S.NOT_PURCHASED),
)


def available_actions(fulfilment: Fulfilment) -> set[str]:
    """The store's actions allowed now (cancellation and timeouts are not the store's)."""
    found = {name for name, target in ACTIONS if can_move(fulfilment, target)}
    if fulfilment.status == S.READY_FOR_PICKUP and fulfilment.method == CLICK:
        found.add("reissue_code")
    return found


def is_overdue(fulfilment: Fulfilment, now: datetime | None = None) -> bool:
    """Past the date the store had to answer by (awaiting) or the customer had to come by."""
    now = now or timezone.now()
    if fulfilment.status == S.AWAITING_ACCEPTANCE:
        return bool(fulfilment.accept_deadline and fulfilment.accept_deadline < now)
    if fulfilment.status == S.READY_FOR_PICKUP:
        return bool(fulfilment.collect_before and fulfilment.collect_before < now)
    return False


# Endless aisle -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AisleRow:
    """A variant as the endless aisle lists it: here, in the network, in the warehouse."""

    variant: Variant
    here: int
    store_price_cents: int | None
    network: VariantAvailability

    @property
    def elsewhere(self) -> int:
        return self.network.available - self.here

    @property
    def price_here_cents(self) -> int:
        return self.store_price_cents or self.variant.rrp_cents


def endless_aisle_variants(*, query: str, store: Store, limit: int = 20) -> list[AisleRow]:
    """The catalogue's variants matching `query` (the storefront search: name, brand, SKU,
    EAN), with the units this store has and the network's availability. Four queries."""
    product_ids = list(search_products(query).values_list("pk", flat=True)[:limit])
    if not product_ids:
        return []
    variants = list(
        Variant.objects.filter(product_id__in=product_ids, is_active=True)
        .select_related("product")
        .order_by("product__name", "position", "sku")[: limit * 5]
    )
    ids = [variant.pk for variant in variants]
    here = {
        variant_id: (available, price)
        for variant_id, available, price in StockLevel.objects.for_store(store)
        .filter(variant_id__in=ids)
        .values_list("variant_id", "available", "price_cents")
    }
    network = network_availability(ids)
    return [
        AisleRow(
            variant=variant,
            here=max(here.get(variant.pk, (0, None))[0], 0),
            store_price_cents=here.get(variant.pk, (0, None))[1],
            network=network[variant.pk],
        )
        for variant in variants
    ]


@dataclass(frozen=True)
class NetworkStock:
    """Where one variant can be had: this store, the stores around it, the warehouses."""

    here: int
    store_price_cents: int | None
    nearby: list[NearbyOffer]
    warehouses: list[tuple[Store, int]]
    network: VariantAvailability


def variant_network_stock(*, variant: Variant, store: Store, radius_km: float) -> NetworkStock:
    """The variant's availability around `store` (other selling stores within `radius_km`,
    nearest first) and in the active warehouses, with this store's own units and price."""
    own = (
        StockLevel.objects.for_store(store)
        .filter(variant=variant)
        .values_list("available", "price_cents")
        .first()
    )
    nearby = [
        offer
        for offer in stores_with_variant_near(
            variant_id=variant.pk,
            latitude=float(store.latitude),
            longitude=float(store.longitude),
            radius_km=radius_km,
            limit=11,
        )
        if offer.store.pk != store.pk
    ][:10]
    warehouses = [
        (level.store, level.available)
        for level in StockLevel.objects.filter(
            variant=variant,
            available__gt=0,
            store__kind=Store.Kind.WAREHOUSE,
            store__status=Store.Status.ACTIVE,
        )
        .select_related("store")
        .order_by("store__name")
    ]
    return NetworkStock(
        here=max(own[0], 0) if own else 0,
        store_price_cents=own[1] if own else None,
        nearby=nearby,
        warehouses=warehouses,
        network=network_availability([variant.pk])[variant.pk],
    )


# The API's reads -----------------------------------------------------------------------------


def with_fulfilment_details(fulfilments: QuerySet[Fulfilment]) -> QuerySet[Fulfilment]:
    """A fulfilment with its order, store, lines (and their order line) and events: four
    queries for a page, whatever its length."""
    return fulfilments.select_related("order", "store").prefetch_related(
        Prefetch(
            "lines",
            queryset=FulfilmentLine.objects.select_related("order_line").order_by("id"),
        ),
        Prefetch("events", queryset=FulfilmentEvent.objects.order_by("created_at", "id")),
    )


def store_fulfilments(
    *,
    store: Store,
    statuses: list[str] | None = None,
    method: str = "",
    updated_since: datetime | None = None,
    order_number: str = "",
) -> QuerySet[Fulfilment]:
    """The fulfilments `store` serves, oldest change first, so that a POS that polls with
    `updated_since` (the last `updated_at` it saw, inclusive) pages through every change."""
    fulfilments = Fulfilment.objects.for_store(store)
    if statuses:
        fulfilments = fulfilments.filter(status__in=statuses)
    if method:
        fulfilments = fulfilments.filter(method=method)
    if updated_since is not None:
        fulfilments = fulfilments.filter(updated_at__gte=updated_since)
    if order_number:
        fulfilments = fulfilments.filter(order__number=order_number)
    return with_fulfilment_details(fulfilments).order_by("updated_at", "id")
