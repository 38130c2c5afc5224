"""Paid orders whose fulfilments a test completes, and reads of the ledger, for the money tests.

Orders are built row by row (like tests/fulfillment/returns_helpers.py) so a test controls who
sells what, the catchment store and the delivery fee; the fulfilments then move through the
real services (ship, ready + hand over), which is where the sale is split and booked.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from fulfillment.models import Fulfilment, FulfilmentLine
from fulfillment.services import hand_over, mark_ready_for_pickup, ship_fulfilment
from network_marketplace.outbox import deliver_due_messages
from orders.models import FulfilmentMethod, Order, OrderLine
from orders.pricing import vat_included_in
from payments import ledger
from payments.postings import TRANSFER_KIND, TRANSFER_REVERSAL_KIND
from payments.services import REFUND_KIND, take_payment
from tests.factories import ProductFactory, VariantFactory

M = FulfilmentMethod
S = Fulfilment.Status
MONEY_KINDS = [TRANSFER_KIND, TRANSFER_REVERSAL_KIND, REFUND_KIND]


@dataclass(frozen=True)
class Piece:
    """`quantity` units at `unit_price_cents`, served by `store` (click & collect there, or
    shipped from it). `category`: the product's (default: a new one)."""

    store: object
    quantity: int = 1
    unit_price_cents: int = 2990
    method: str = M.CLICK_COLLECT
    category: object = None


def paid_order(*pieces: Piece, attributed=None, shipping_cents: int = 0):
    """A placed order, paid online with the dummy provider (but its reserve & collect lines),
    one fulfilment per (store, method), each picked and ready to leave."""
    subtotal = sum(piece.unit_price_cents * piece.quantity for piece in pieces)
    online = shipping_cents + sum(
        piece.unit_price_cents * piece.quantity
        for piece in pieces
        if piece.method != M.RESERVE_COLLECT
    )
    order = Order.objects.create(
        status=Order.Status.PLACED, email="lea@example.com", first_name="Léa",
        last_name="Martin", subtotal_cents=subtotal, shipping_cents=shipping_cents,
        total_cents=subtotal + shipping_cents, vat_cents=0, online_payment_cents=online,
        attributed_store=attributed, placed_at=timezone.now(),
    )  # fmt: skip
    order.number = f"ARD-{order.pk:07d}"
    order.save(update_fields=["number"])
    fulfilments = {}
    for piece in pieces:
        product = ProductFactory(**({"category": piece.category} if piece.category else {}))
        variant = VariantFactory(product=product, rrp_cents=piece.unit_price_cents)
        total = piece.unit_price_cents * piece.quantity
        line = OrderLine.objects.create(
            order=order, variant=variant, product_name=product.name, sku=variant.sku,
            quantity=piece.quantity, unit_price_cents=piece.unit_price_cents, vat_percent=20,
            total_cents=total, vat_cents=vat_included_in(total, 20), method=piece.method,
            chosen_store=None if piece.method == M.HOME_DELIVERY else piece.store,
        )  # fmt: skip
        key = (piece.store.pk, piece.method)
        if key not in fulfilments:
            fulfilments[key] = Fulfilment.objects.create(
                order=order, store=piece.store, method=piece.method, status=S.PICKED
            )
        FulfilmentLine.objects.create(
            fulfilment=fulfilments[key], order_line=line, quantity=piece.quantity
        )
    if online:
        take_payment(order=order, payment_token="tok_visa")
    return order


def complete(fulfilment: Fulfilment, actor="store:test") -> Fulfilment:
    """The goods leave: shipped (home delivery), handed over on the code (click & collect) or
    bought in the store (reserve & collect)."""
    from fulfillment.services import record_reserve_outcome

    fulfilment.refresh_from_db()
    if fulfilment.method == M.HOME_DELIVERY:
        return ship_fulfilment(
            fulfilment=fulfilment, carrier="Colissimo", tracking_number="6A0001", actor=actor
        )
    ready = mark_ready_for_pickup(fulfilment=fulfilment, actor=actor)
    if fulfilment.method == M.RESERVE_COLLECT:
        return record_reserve_outcome(fulfilment=ready.fulfilment, purchased=True, actor=actor)
    return hand_over(fulfilment=ready.fulfilment, code=ready.pickup_code, actor=actor)


def fulfilment_of(order, store, method=M.CLICK_COLLECT) -> Fulfilment:
    return Fulfilment.objects.get(order=order, store=store, method=method)


def deliver_money_messages():
    """Send what the outbox holds for the provider (transfers, reversals, refunds)."""
    return deliver_due_messages(kinds=MONEY_KINDS)


def assert_ledger_balanced():
    assert ledger.unbalanced_entries() == []
    assert sum(ledger.trial_balance().values()) == 0


def held_for_customers() -> int:
    return ledger.account_balance_cents(ledger.CUSTOMER_PREPAYMENTS)


def owed_to(store) -> int:
    return ledger.store_balance_cents(store)


def in_account_of(store) -> int:
    return ledger.account_balance_cents(ledger.STORE_PROVIDER_BALANCE, store_id=store.pk)
