"""Failed attempts at an order's secret, counted per order.

An order number is printed on receipts and parcels: the e-mail address that opens its tracking
or its returns must not be guessable. The counting is shared infrastructure
(`network_marketplace.ratelimit`); what identifies an order is this app's to say.
"""

from __future__ import annotations

from dataclasses import dataclass

from network_marketplace.ratelimit import AttemptLimit

from .models import Order


@dataclass(frozen=True)
class OrderAttemptLimit(AttemptLimit):
    """An `AttemptLimit` whose counters are per order number."""

    def key_for_order(self, number: str) -> str:
        """The order's id and creation time keep two databases sharing one cache apart; an
        unknown number is counted by the number itself."""
        order = Order.objects.filter(number__iexact=number).values("pk", "created_at").first()
        ident = f"{order['pk']}:{order['created_at'].timestamp()}" if order else number.upper()
        return self.key_for(ident)
