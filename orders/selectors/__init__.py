"""Reads on orders, by topic: `availability` (what the network's stock can serve before routing),
`routing_log` (an order's routing record in words), `visibility` (who sees which order), `sales`
(the stores' catchment and click & collect sales over a window, for the marketing dashboard),
`slots` (the customer's pickup time in words).
The reads that show an order with its fulfilments live in fulfillment
(`fulfillment.order_selectors`, `fulfillment.routing_candidates`); the cart and the checkout
preview in `checkout.selectors`."""

from .availability import (
    CollectChoice,
    TransferPickup,
    collect_choices,
    home_delivery_available,
    transfer_pickup_choices,
    transfer_source_units,
)
from .routing_log import (
    CandidateRow,
    DecisionRow,
    RoutingRecord,
    routing_log_rows,
)
from .sales import StoreSales, catchment_sales
from .slots import pickup_slot_label, slot_label, slots_label
from .visibility import orders_visible_to

__all__ = [
    "CandidateRow",
    "CollectChoice",
    "DecisionRow",
    "RoutingRecord",
    "StoreSales",
    "TransferPickup",
    "catchment_sales",
    "collect_choices",
    "home_delivery_available",
    "orders_visible_to",
    "pickup_slot_label",
    "routing_log_rows",
    "slot_label",
    "slots_label",
    "transfer_pickup_choices",
    "transfer_source_units",
]
