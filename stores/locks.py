"""Row locks on stores and stock, taken in one order by every writer so that no two writers
deadlock.

The order: the store row first (a change of its profile or team: stores.services.profile and
team, which lock nothing else of the store but its memberships and invitations after it); then
stock rows, by (store_id, variant_id); then the reservation rows of those stock rows. A
conditional UPDATE of a stock row counts as taking its lock.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import reduce
from operator import or_

from django.db.models import Q

from .models import StockLevel, Store


def lock_store(store_id: int) -> Store:
    """Lock the store's row until the end of the caller's transaction (which must be open) and
    return it as it is now. Writers of a store's profile and team take it first: two owners
    removing each other queue here, and the second sees the first's change."""
    return Store.objects.select_for_update(of=("self",)).get(pk=store_id)


def lock_stock_levels(pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], StockLevel]:
    """Lock the stock rows of these (store_id, variant_id) pairs, in (store, variant) order,
    until the end of the caller's transaction (which must be open). Missing rows are skipped.

    PostgreSQL locks the rows of `SELECT ... ORDER BY ... FOR UPDATE` in the sorted order.
    """
    keys = sorted(set(pairs))
    if not keys:
        return {}
    condition = reduce(
        or_, (Q(store_id=store_id, variant_id=variant_id) for store_id, variant_id in keys)
    )
    levels = (
        StockLevel.objects.select_for_update().filter(condition).order_by("store_id", "variant_id")
    )
    return {(level.store_id, level.variant_id): level for level in levels}
