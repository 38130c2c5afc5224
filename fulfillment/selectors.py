"""Reads for fulfilments: a store's queue as its POS or the back-office sees it."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Prefetch, QuerySet

from stores.models import Store

from .models import Fulfilment, FulfilmentEvent, FulfilmentLine


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
