"""Writes on orders, by topic: `placing` (a new order's rows), `routing` (HQ's routing rules and
the routing record), `cancellation` (units that will not be served). Placing an order as a whole
(routing, holds, payment) is the checkout's (`checkout.services`), above orders, payments and
fulfillment; the order's status roll-up follows its fulfilments (`fulfillment.services`)."""

from .cancellation import CancellationReason, LinesCancelled, cancel_order_lines
from .customers import clear_customer_details
from .placing import CustomerDetails, create_order, online_payment_cents, record_pickup_slots
from .routing import acceptance_deadline, acceptance_window, record_routing, routing_policy

__all__ = [
    "CancellationReason",
    "CustomerDetails",
    "LinesCancelled",
    "acceptance_deadline",
    "acceptance_window",
    "cancel_order_lines",
    "clear_customer_details",
    "create_order",
    "online_payment_cents",
    "record_pickup_slots",
    "record_routing",
    "routing_policy",
]
