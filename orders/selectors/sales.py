"""The stores' own sales over a window, as the marketing dashboard compares them before and
during a campaign: the web orders of customers in each store's catchment (the order's attributed
store, whoever serves it) and the click & collect lines collected at each store. Two grouped
queries, whatever the number of stores."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, F, Sum
from django.utils import timezone

from ..methods import FulfilmentMethod
from ..models import Order, OrderLine

# Orders that are sales: paid and not cancelled (a cancelled line's units are taken off).
SALE_STATUSES = (Order.Status.PLACED, Order.Status.IN_PROGRESS, Order.Status.COMPLETED)


@dataclass(frozen=True)
class StoreSales:
    """One store's sales over a window, amounts in cents incl. VAT."""

    web_orders: int = 0
    web_cents: int = 0
    collect_orders: int = 0
    collect_cents: int = 0


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


def catchment_sales(
    *, start: date, end: date, store_ids: Iterable[int] | None = None
) -> dict[int, StoreSales]:
    """Per store id, from `start` to `end` included (orders by their placing time): the web
    orders attributed to the store (its catchment) and the click & collect lines collected
    there, less cancelled units. Stores without sales are absent."""
    since, until = _bounds(start, end)
    orders = Order.objects.filter(
        status__in=SALE_STATUSES,
        placed_at__gte=since,
        placed_at__lt=until,
        attributed_store__isnull=False,
    )
    lines = OrderLine.objects.filter(
        order__status__in=SALE_STATUSES,
        order__placed_at__gte=since,
        order__placed_at__lt=until,
        method=FulfilmentMethod.CLICK_COLLECT,
    )
    if store_ids is not None:
        ids = list(store_ids)
        orders = orders.filter(attributed_store_id__in=ids)
        lines = lines.filter(chosen_store_id__in=ids)
    web: dict[int, tuple[int, int]] = {
        store_id: (count, cents or 0)
        for store_id, count, cents in orders.values("attributed_store_id")
        .annotate(count=Count("pk"), cents=Sum("total_cents"))
        .values_list("attributed_store_id", "count", "cents")
    }
    collect: dict[int, tuple[int, int]] = {
        store_id: (count, cents or 0)
        for store_id, count, cents in lines.values("chosen_store_id")
        .annotate(
            count=Count("order_id", distinct=True),
            cents=Sum(F("unit_price_cents") * (F("quantity") - F("cancelled_quantity"))),
        )
        .values_list("chosen_store_id", "count", "cents")
    }
    return {
        store_id: StoreSales(
            web_orders=web.get(store_id, (0, 0))[0],
            web_cents=web.get(store_id, (0, 0))[1],
            collect_orders=collect.get(store_id, (0, 0))[0],
            collect_cents=collect.get(store_id, (0, 0))[1],
        )
        for store_id in web.keys() | collect.keys()
    }
