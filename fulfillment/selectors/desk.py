"""The store's order desk and its POS: the queue of open fulfilments by what the store has to do
next, the history, pick lists, the actions a fulfilment's page offers, and a store's
fulfilments as the API lists them.

Every function starts from `Fulfilment.objects.for_store(store)`: a store sees only the
fulfilments it serves (HQ reaches any store's desk through the back-office's store resolution).
A transfer shows at its source until it is sent, and at its pickup store as "incoming".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractHour, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy

from orders.models import FulfilmentMethod, PickupSlot
from stores.models import Store
from stores.opening_hours import STORE_TIME_ZONE

from ..models import Fulfilment, FulfilmentEvent, FulfilmentLine
from ..states import OPEN_STATUSES, can_move, store_performs

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
    QueueBucket(
        "to_accept",
        gettext_lazy("To accept"),
        gettext_lazy("Accept or reject before the deadline."),
    ),
    QueueBucket(
        "to_pick", gettext_lazy("To pick"), gettext_lazy("Take the items from the shelves.")
    ),
    QueueBucket(
        "ready",
        gettext_lazy("Ready for pickup"),
        gettext_lazy("Waiting for the customer and their code."),
    ),
    QueueBucket(
        "to_ship", gettext_lazy("To ship"), gettext_lazy("Picked: pack and hand to the carrier.")
    ),
    QueueBucket(
        "to_send",
        gettext_lazy("To send to a store"),
        gettext_lazy("Picked for another store's customer: send it to that store."),
    ),
    QueueBucket(
        "incoming",
        gettext_lazy("Incoming transfers"),
        gettext_lazy(
            "Sent by another store for your customers: receive them when they arrive, then "
            "make them ready."
        ),
    ),
    QueueBucket(
        "reserve",
        gettext_lazy("Reserve & collect"),
        gettext_lazy("Held for the customer to try in store."),
    ),
)
BUCKET_KEYS = {bucket.key for bucket in BUCKETS}
# A transfer's goods have left the source store: it's the pickup store's business now.
SENT_STATUSES = {S.IN_TRANSIT, S.RECEIVED, S.READY_FOR_PICKUP}
# A transfer the pickup store waits for (or has just received, to make ready).
INCOMING_STATUSES = {S.AWAITING_ACCEPTANCE, S.ACCEPTED, S.PICKED, S.IN_TRANSIT, S.RECEIVED}


def _bucket(store: Store) -> Case:
    """The bucket of an open fulfilment for `store`, in SQL so that counts and filters are one
    query: a transfer is "incoming" at its pickup store, "to send" at its source once picked."""
    return Case(
        When(pickup_store=store, status__in=INCOMING_STATUSES, then=Value("incoming")),
        When(status=S.AWAITING_ACCEPTANCE, then=Value("to_accept")),
        When(status=S.PICKED, pickup_store__isnull=False, then=Value("to_send")),
        When(method=RESERVE, then=Value("reserve")),
        When(status=S.ACCEPTED, then=Value("to_pick")),
        When(status=S.PICKED, method=CLICK, then=Value("to_pick")),
        When(status=S.PICKED, method=HOME, then=Value("to_ship")),
        When(status=S.READY_FOR_PICKUP, then=Value("ready")),
        default=Value("to_pick"),
        output_field=CharField(),
    )


def _sent_away(store: Store) -> Q:
    """The transfers `store` sent that are still open at their pickup store."""
    return Q(store=store, pickup_store__isnull=False, status__in=SENT_STATUSES)


def _open_for(store: Store) -> QuerySet[Fulfilment]:
    return (
        Fulfilment.objects.for_store(store)
        .open()
        .exclude(_sent_away(store))
        .annotate(bucket=_bucket(store))
    )


def with_pickup_slot(queryset: QuerySet[Fulfilment]) -> QuerySet[Fulfilment]:
    """Annotate `slot_starts_at` and `slot_ends_at`: the pickup time the customer chose at the
    store where they collect (a transfer's pickup store), None without one. In SQL, so the queue
    sorts and filters by it."""
    if "slot_starts_at" in queryset.query.annotations:
        return queryset
    slot = PickupSlot.objects.filter(
        order=OuterRef("order_id"),
        store=Coalesce(OuterRef("pickup_store_id"), OuterRef("store_id")),
    )
    return queryset.annotate(
        slot_starts_at=Subquery(slot.values("starts_at")[:1]),
        slot_ends_at=Subquery(slot.values("ends_at")[:1]),
    )


def _with_lines(queryset: QuerySet[Fulfilment]) -> QuerySet[Fulfilment]:
    lines = FulfilmentLine.objects.select_related(
        "order_line", "order_line__variant", "order_line__variant__product"
    ).order_by("order_line_id")
    return with_pickup_slot(
        queryset.select_related("order", "store", "pickup_store").prefetch_related(
            Prefetch("lines", queryset=lines)
        )
    )


def _search(queryset: QuerySet[Fulfilment], query: str) -> QuerySet[Fulfilment]:
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


# The pickup slot's part of the day, by the local hour it starts: [from, until).
SLOT_PERIODS = {"morning": (0, 12), "afternoon": (12, 17), "evening": (17, 24)}
NO_SLOT = "none"


@dataclass(frozen=True)
class QueueFilters:
    """What the order queue is narrowed to: a search, the pickup slot's day and part of the day
    (`period` one of SLOT_PERIODS, or NO_SLOT for orders without one), a method, a status."""

    query: str = ""
    slot_day: date | None = None
    period: str = ""
    method: str = ""
    status: str = ""


def _filtered(queryset: QuerySet[Fulfilment], filters: QueueFilters) -> QuerySet[Fulfilment]:
    queryset = _search(queryset, filters.query)
    if filters.method:
        queryset = queryset.filter(method=filters.method)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.slot_day or filters.period:
        queryset = with_pickup_slot(queryset)
    if filters.slot_day:
        queryset = queryset.annotate(
            slot_day=TruncDate("slot_starts_at", tzinfo=STORE_TIME_ZONE)
        ).filter(slot_day=filters.slot_day)
    if filters.period == NO_SLOT:
        queryset = queryset.filter(slot_starts_at__isnull=True)
    elif filters.period in SLOT_PERIODS:
        start, end = SLOT_PERIODS[filters.period]
        queryset = queryset.annotate(
            slot_hour=ExtractHour("slot_starts_at", tzinfo=STORE_TIME_ZONE)
        ).filter(slot_hour__gte=start, slot_hour__lt=end)
    return queryset


def open_fulfilments(
    *, store: Store, bucket: str = "", query: str = "", filters: QueueFilters | None = None
) -> QuerySet[Fulfilment]:
    """The store's open fulfilments, annotated with their `bucket` and pickup slot, by the slot
    the customer chose (those without one last), then the soonest deadline."""
    filters = filters or QueueFilters(query=query)
    queryset = _open_for(store)
    if bucket in BUCKET_KEYS:
        queryset = queryset.filter(bucket=bucket)
    return _with_lines(_filtered(queryset, filters)).order_by(
        F("slot_starts_at").asc(nulls_last=True), "accept_deadline", "collect_before", "id"
    )


def queue_counts(store: Store, filters: QueueFilters | None = None) -> dict[str, int]:
    """How many open fulfilments each tab holds, plus "open" (all) and "overdue"
    (not accepted by their deadline), within `filters`. One query."""
    now = timezone.now()
    queryset = _open_for(store)
    if filters is not None:
        queryset = _filtered(queryset, filters)
    rows = (
        queryset.values("bucket")
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


def closed_fulfilments(*, store: Store, query: str = "") -> QuerySet[Fulfilment]:
    """The store's history: fulfilments that ended (and transfers it sent), most recent first."""
    queryset = Fulfilment.objects.for_store(store).filter(
        ~Q(status__in=OPEN_STATUSES) | _sent_away(store)
    )
    return _with_lines(_search(queryset, query)).order_by(
        F("closed_at").desc(nulls_first=True), "-id"
    )


def fulfilment_for_store(*, store: Store, fulfilment_id: int) -> Fulfilment | None:
    """One fulfilment of the store with its order, lines and events; None for another store's."""
    return (
        _with_lines(Fulfilment.objects.for_store(store))
        .prefetch_related("events")
        .filter(pk=fulfilment_id)
        .first()
    )


def pick_list(
    *, store: Store, fulfilment_id: int | None = None, fulfilment_ids: list[int] | None = None
) -> list[Fulfilment]:
    """What to take from the shelves: one fulfilment, the chosen ones (another store's ids
    find nothing), or every accepted one of the store; by pickup slot, then oldest deadline."""
    queryset = Fulfilment.objects.for_store(store)
    if fulfilment_id is not None:
        queryset = queryset.filter(pk=fulfilment_id)
    elif fulfilment_ids is not None:
        queryset = queryset.filter(pk__in=fulfilment_ids)
    else:
        queryset = queryset.filter(status=S.ACCEPTED)
    return list(
        _with_lines(queryset).order_by(
            F("slot_starts_at").asc(nulls_last=True), "accept_deadline", "id"
        )
    )


# What a fulfilment's page offers: the moves states.py allows from its status, for its method.
ACTIONS = (
    ("accept", S.ACCEPTED),
    ("reject", S.REJECTED),
    ("pick", S.PICKED),
    ("ready", S.READY_FOR_PICKUP),
    ("hand_over", S.COLLECTED),
    ("ship", S.SHIPPED),
    ("ship_transfer", S.IN_TRANSIT),
    ("receive", S.RECEIVED),
    ("purchased", S.PURCHASED_IN_STORE),
    ("not_purchased", S.NOT_PURCHASED),
)


def available_actions(fulfilment: Fulfilment, store: Store | None = None) -> set[str]:
    """The actions `store` may take now (cancellation and timeouts are not the store's); a
    transfer's source and pickup store each have their own steps (None: HQ, either)."""
    store_id = store.pk if store is not None else None
    found = {
        name
        for name, target in ACTIONS
        if can_move(fulfilment, target) and store_performs(fulfilment, store_id, target)
    }
    if (
        fulfilment.status == S.READY_FOR_PICKUP
        and fulfilment.method == CLICK
        and store_performs(fulfilment, store_id, S.READY_FOR_PICKUP)
    ):
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


# The API's reads ------------------------------------------------------------------------------


def with_fulfilment_details(fulfilments: QuerySet[Fulfilment]) -> QuerySet[Fulfilment]:
    """A fulfilment with its order, store, lines (and their order line), events and the pickup
    slot its customer chose: four queries for a page, whatever its length."""
    return (
        with_pickup_slot(fulfilments)
        .select_related("order", "store", "pickup_store")
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=FulfilmentLine.objects.select_related("order_line").order_by("id"),
            ),
            Prefetch("events", queryset=FulfilmentEvent.objects.order_by("created_at", "id")),
        )
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
