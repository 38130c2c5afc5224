"""Who sees which order: the tenancy rule for orders, in one place."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from ..models import Order


def orders_visible_to(principal: Any) -> QuerySet[Order]:
    """The tenancy rule for orders, in one place.

    HQ (an HQ key or a staff user) sees every order; a store key the orders its staff placed
    for walk-in customers (endless aisle), whoever serves them (a store follows the
    fulfilments it serves through the store's own endpoints, not here); a signed-in customer
    their own orders; anyone else nothing. Orders still awaiting payment are not shown to
    customers or stores: they are not orders yet.
    """
    if not getattr(principal, "is_authenticated", False):
        return Order.objects.none()
    api_key = getattr(principal, "api_key", None)
    if principal.is_staff:
        return Order.objects.all()
    placed = Order.objects.exclude(status=Order.Status.PENDING_PAYMENT)
    if api_key is not None:
        return placed.filter(placed_by_store_id=api_key.store_id)
    return placed.filter(customer=principal)
