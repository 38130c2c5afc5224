"""The scorecards' demo: Villeurbanne let three click & collect orders time out, so HQ's hourly
job warned it (its back-office scorecard, the e-mail in the demo mailbox, HQ's list of
standings). Through the real checkout, the real timeout and the real consequences; only on a
first load (no standing yet)."""

from __future__ import annotations

from datetime import timedelta

from checkout.services import CheckoutLine, place_order
from fulfillment.services import time_out_fulfilment
from hq.models import StoreStanding
from hq.services import apply_consequences
from orders.models import FulfilmentMethod
from orders.services import CustomerDetails
from stores.models import StockLevel, Store

WARNED_STORE = "villeurbanne"
TIMEOUTS = 3


def load_scorecards(*, customer_email: str) -> int:
    """Returns the number of stores whose standing moved."""
    if StoreStanding.objects.exists():
        return 0
    store = Store.objects.filter(slug=WARNED_STORE, status=Store.Status.ACTIVE).first()
    in_stock = (
        StockLevel.objects.filter(
            store=store, available__gte=1, variant__product__status="published"
        )
        .select_related("variant")
        .order_by("variant__sku")
        .first()
    )
    if store is None or in_stock is None:
        return len(apply_consequences())
    details = CustomerDetails(
        email=customer_email,
        first_name="Léa",
        last_name="Martin",
        address_line="3 rue Mercière",
        postal_code=store.postal_code,
        city=store.city,
    )
    for _index in range(TIMEOUTS):
        order = place_order(
            customer=details,
            lines=[CheckoutLine(in_stock.variant, 1, FulfilmentMethod.CLICK_COLLECT, store)],
            actor="demo",
            payment_token="tok_demo",  # noqa: S106 (the dummy provider's test token)
        )
        fulfilment = order.fulfilments.get()
        time_out_fulfilment(
            fulfilment=fulfilment, now=fulfilment.accept_deadline + timedelta(minutes=1)
        )
    return len(apply_consequences())
