"""Reads of the payments app: which commission rate applies, and the split of an order.

Rate resolution for (store, category, date), first match wins:

1. a rate of that store for the category, else for its parent, and so on up the tree;
2. the store's own rate for every category (a store rate with no category);
3. a network rate (no store) for the category, else its parent, and so on up the tree;
4. the plan's network default.

Only rates valid on the date count (valid_from <= date < valid_until; empty is open-ended).
HQ's own locations (branches, the warehouse) pay no commission: their rate is 0.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db.models import Q

from catalog.models import Category
from stores.models import Store

from .models import CommissionPlan, CommissionRate, SaleSplit, Transfer

HQ_OWN_KINDS = {Store.Kind.BRANCH, Store.Kind.WAREHOUSE}


def is_hq_own(store: Store) -> bool:
    """A company-owned branch or a warehouse: its sales are HQ's, with no commission."""
    return store.kind in HQ_OWN_KINDS


def _valid_on(on: date) -> Q:
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=on)) & (
        Q(valid_until__isnull=True) | Q(valid_until__gt=on)
    )


def commission_rates(
    *, wanted: Iterable[tuple[Store, int | None]], on: date, plan: CommissionPlan | None = None
) -> dict[tuple[int, int | None], Decimal]:
    """The rate of each (store, category id) of `wanted` on `on`, keyed (store id, category id).
    Three queries whatever the number of lines: the plan, the category tree, the rates."""
    wanted = list(wanted)
    plan = plan or CommissionPlan.current()
    parents = dict(Category.objects.values_list("pk", "parent_id"))
    store_ids = {store.pk for store, _category in wanted}
    rates: dict[tuple[int | None, int | None], Decimal] = {
        (store_id, category_id): rate
        for store_id, category_id, rate in CommissionRate.objects.filter(_valid_on(on))
        .filter(Q(store_id__in=store_ids) | Q(store__isnull=True))
        .values_list("store_id", "category_id", "rate_percent")
    }

    def chain(category_id: int | None) -> list[int]:
        seen: list[int] = []
        while category_id is not None and category_id not in seen:
            seen.append(category_id)
            category_id = parents.get(category_id)
        return seen

    resolved = {}
    for store, category_id in wanted:
        if is_hq_own(store):
            resolved[(store.pk, category_id)] = Decimal(0)
            continue
        ancestors = chain(category_id)
        candidates = [
            *((store.pk, each) for each in ancestors),
            (store.pk, None),
            *((None, each) for each in ancestors),
        ]
        resolved[(store.pk, category_id)] = next(
            (rates[key] for key in candidates if key in rates), plan.default_rate_percent
        )
    return resolved


def commission_rate_for(*, store: Store, category: Category | None, on: date) -> Decimal:
    """The commission rate (percent of the price paid) of `store` for `category` on `on`."""
    category_id = category.pk if category is not None else None
    return commission_rates(wanted=[(store, category_id)], on=on)[(store.pk, category_id)]


def sale_splits_of_order(order) -> list[SaleSplit]:
    """The booked splits of an order, with what refunds took back of each (admin, pages)."""
    return list(
        SaleSplit.objects.filter(order=order)
        .select_related("seller_store", "attributed_store", "order_line")
        .prefetch_related("reversals")
        .order_by("fulfilment_id", "kind", "id")
    )


def sale_splits_for_store(store: Store, *, since=None, until=None):
    """The splits of `store`'s sales and of the sales it earned a catchment share on, booked in
    [since, until) (statements, commission invoices, the money pages)."""
    splits = SaleSplit.objects.filter(Q(seller_store=store) | Q(attributed_store=store))
    if since is not None:
        splits = splits.filter(created_at__gte=since)
    if until is not None:
        splits = splits.filter(created_at__lt=until)
    return splits.select_related("order", "order_line", "fulfilment").order_by("created_at", "id")


def transfers_for_store(store: Store):
    """The transfers to `store`'s connected account, newest first, with their reversals."""
    return Transfer.objects.filter(store=store).prefetch_related("reversals")
