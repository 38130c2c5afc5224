"""Writing a new order: the customer, its priced lines, the store it is attributed to, and what is
paid online. The checkout (above orders) routes, holds the stock, takes the payment and places
it; it calls these to write the order's own rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from network_marketplace.audit import actor_label
from network_marketplace.db import atomic_once
from stores.models import Store
from stores.selectors import attributed_store_for

from ..models import FulfilmentMethod, Order, OrderEvent, OrderLine, PickupSlot
from ..pricing import Quote


@dataclass(frozen=True)
class CustomerDetails:
    email: str
    first_name: str
    last_name: str
    phone: str = ""
    address_line: str = ""
    postal_code: str = ""
    city: str = ""
    user: Any = None
    language: str = "fr"


def online_payment_cents(priced: Quote) -> int:
    """What is paid at checkout: every line but reserve & collect ones, and the delivery fee."""
    return priced.shipping_cents + sum(
        line_quote.total_cents
        for line_quote in priced.lines
        if line_quote.request.method != FulfilmentMethod.RESERVE_COLLECT
    )


def create_order(
    *,
    customer: CustomerDetails,
    priced: Quote,
    channel: str,
    placed_by_store: Store | None,
    routing_log: list[dict],
    actor: Any,
) -> tuple[Order, list[OrderLine], OrderEvent]:
    """Write an order awaiting payment with its lines (in `priced`'s order), its number and its
    first event; returns the three. It is attributed to the customer's local store
    (catchment), else the store that placed it, else the first pickup store. Call it in the
    checkout's transaction."""
    chosen = [q.request.store for q in priced.lines if q.request.store is not None]
    with atomic_once():
        order = Order.objects.create(
            status=Order.Status.PENDING_PAYMENT,
            channel=channel,
            customer=customer.user if getattr(customer.user, "is_authenticated", False) else None,
            email=customer.email.strip(),
            first_name=customer.first_name.strip(),
            last_name=customer.last_name.strip(),
            phone=customer.phone.strip(),
            language=customer.language,
            address_line=customer.address_line.strip(),
            postal_code=customer.postal_code.strip(),
            city=customer.city.strip(),
            attributed_store=attributed_store_for(postal_code=customer.postal_code)
            or placed_by_store
            or next(iter(chosen), None),
            placed_by_store=placed_by_store,
            subtotal_cents=priced.subtotal_cents,
            shipping_cents=priced.shipping_cents,
            total_cents=priced.total_cents,
            vat_cents=priced.vat_cents,
            online_payment_cents=online_payment_cents(priced),
            routing_log=routing_log,
        )
        # The number came back from the INSERT (Order.number's database default), except on
        # the embedded profile's SQLite, which has no sequence.
        if order.number is None:
            order.number = f"ARD-{order.pk:07d}"
            order.save(update_fields=["number"])
        lines = OrderLine.objects.bulk_create(
            OrderLine(
                order=order,
                variant=line_quote.request.variant,
                product_name=line_quote.request.variant.product.name,
                sku=line_quote.request.variant.sku,
                options_label=line_quote.request.variant.option_label,
                quantity=line_quote.request.quantity,
                unit_price_cents=line_quote.unit_price_cents,
                vat_percent=Decimal(line_quote.vat_percent),
                total_cents=line_quote.total_cents,
                vat_cents=line_quote.vat_cents,
                method=line_quote.request.method,
                chosen_store=line_quote.request.store,
            )
            for line_quote in priced.lines
        )
        event = OrderEvent.objects.create(
            order=order, to_status=Order.Status.PENDING_PAYMENT, actor_label=actor_label(actor)
        )
    return order, lines, event


def record_pickup_slots(
    *, order: Order, slots: dict[int, tuple[datetime, datetime]]
) -> list[PickupSlot]:
    """Keep the pickup slot chosen for each store of an order ({store_id: (start, end)})."""
    return [
        PickupSlot.objects.update_or_create(
            order=order, store_id=store_id, defaults={"starts_at": start, "ends_at": end}
        )[0]
        for store_id, (start, end) in slots.items()
    ]
