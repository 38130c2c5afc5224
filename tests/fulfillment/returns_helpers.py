"""Orders whose goods reached the customer, to return: built row by row so a test controls
when each part was collected, shipped or delivered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from fulfillment.models import Fulfilment, FulfilmentLine
from fulfillment.services import ReturnRequestLine
from orders.models import FulfilmentMethod, Order, OrderLine
from payments.services import take_payment
from tests.factories import VariantFactory

M = FulfilmentMethod
S = Fulfilment.Status
STATUS_OF_METHOD = {
    M.CLICK_COLLECT: S.COLLECTED,
    M.HOME_DELIVERY: S.DELIVERED,
    M.RESERVE_COLLECT: S.PURCHASED_IN_STORE,
}


@dataclass(frozen=True)
class Sold:
    """One line of an order: `quantity` of a new variant at `unit_price_cents`, sold by `store`."""

    store: object
    method: str = M.HOME_DELIVERY
    quantity: int = 1
    unit_price_cents: int = 2990
    status: str | None = None  # default: the method's "received" status


def received_order(*lines: Sold, received_days_ago: float = 2, shipping_cents: int = 0,
                   customer=None, email: str = "lea@example.com", number: str | None = None,
                   delivered: bool = True, paid: bool = True) -> Order:  # fmt: skip
    """An order whose fulfilments were collected / delivered `received_days_ago` days ago
    (with `delivered=False`, home deliveries are only shipped then, no delivery scan), paid
    online with the dummy provider (except its reserve & collect lines) unless `paid=False`."""
    now = timezone.now()
    at = now - timedelta(days=received_days_ago)
    subtotal = sum(line.unit_price_cents * line.quantity for line in lines)
    order = Order.objects.create(
        status=Order.Status.COMPLETED, email=email, first_name="Léa", last_name="Martin",
        customer=customer, subtotal_cents=subtotal, shipping_cents=shipping_cents,
        total_cents=subtotal + shipping_cents, vat_cents=subtotal // 6, placed_at=at,
    )  # fmt: skip
    order.number = number or f"ARD-{order.pk:07d}"
    order.save(update_fields=["number"])
    fulfilments = {}
    for sold in lines:
        variant = VariantFactory(rrp_cents=sold.unit_price_cents)
        order_line = OrderLine.objects.create(
            order=order, variant=variant, product_name=variant.product.name, sku=variant.sku,
            quantity=sold.quantity, unit_price_cents=sold.unit_price_cents, vat_percent=20,
            total_cents=sold.unit_price_cents * sold.quantity,
            vat_cents=sold.unit_price_cents * sold.quantity // 6, method=sold.method,
            chosen_store=None if sold.method == M.HOME_DELIVERY else sold.store,
        )  # fmt: skip
        status = sold.status or STATUS_OF_METHOD[sold.method]
        if status == S.DELIVERED and not delivered:
            status = S.SHIPPED
        key = (sold.store.pk, sold.method, status)
        if key not in fulfilments:
            fulfilments[key] = Fulfilment.objects.create(
                order=order, store=sold.store, method=sold.method, status=status,
                closed_at=at if status != S.DELIVERED else at - timedelta(days=1),
                delivered_at=at if status == S.DELIVERED else None,
                carrier="Colissimo" if sold.method == M.HOME_DELIVERY else "",
                tracking_number="6A00000001" if sold.method == M.HOME_DELIVERY else "",
            )  # fmt: skip
        FulfilmentLine.objects.create(
            fulfilment=fulfilments[key], order_line=order_line, quantity=sold.quantity
        )
    online = shipping_cents + sum(
        line.unit_price_cents * line.quantity for line in lines
        if line.method != M.RESERVE_COLLECT
    )  # fmt: skip
    if paid and online:
        order.online_payment_cents = online
        order.save(update_fields=["online_payment_cents"])
        take_payment(order=order, payment_token="tok_visa")
    return order


def fulfilment_lines(order: Order) -> list[FulfilmentLine]:
    return list(
        FulfilmentLine.objects.filter(fulfilment__order=order)
        .select_related("order_line", "fulfilment")
        .order_by("order_line_id")
    )


def all_of(order: Order) -> list[ReturnRequestLine]:
    """Every unit of every line of the order."""
    return [ReturnRequestLine(line, line.quantity) for line in fulfilment_lines(order)]
