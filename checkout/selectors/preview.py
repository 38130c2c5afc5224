"""The checkout preview: a basket priced and routed as place_order would, nothing written. The
cart, the checkout page, the quote API and the endless aisle show it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import ngettext

from orders.models import FulfilmentMethod, OrderPolicy
from orders.pricing import LineQuote, LineRequest, Quote, quote
from orders.routing import DecisionKind, Point, RoutingDecision
from stores.models import Store

from ..services.placing import route_lines

UNAVAILABLE_BY_TRANSFER = "chosen_store_out_of_stock"


def transfer_promise(*, store_name: str, days: int | None) -> str:
    """What the customer is told of a line another store sends to their chosen store: the
    pages, the quote API and the confirmation e-mail say the same."""
    return ngettext(
        "Available at %(store)s in %(days)s day, sent from another store.",
        "Available at %(store)s in %(days)s days, sent from another store.",
        days or 0,
    ) % {"store": store_name, "days": days or 0}


@dataclass(frozen=True)
class PreviewLine:
    """A priced line and how it would be served: `available` when it can be placed as asked
    (the chosen store has it, another store can send it there, or a location can ship it), as
    place_order requires. A transfer's `served_by` is the source store, `pickup_store` the
    chosen one, and `promised_on` the longer promise."""

    quote: LineQuote
    decision: RoutingDecision
    served_by: list[tuple[Store, int]]  # (location, units) taken from its stock
    promised_on: date | None
    pickup_store: Store | None = None  # a transfer's destination (the customer's choice)

    @property
    def available(self) -> bool:
        return self.decision.kind in {DecisionKind.DIRECT, DecisionKind.TRANSFER}

    @property
    def is_transfer(self) -> bool:
        return self.decision.kind == DecisionKind.TRANSFER

    @property
    def delay_days(self) -> int | None:
        return self.decision.delay_days

    @property
    def transfer_message(self) -> str | None:
        if self.pickup_store is None:
            return None
        return transfer_promise(store_name=self.pickup_store.name, days=self.delay_days)

    @property
    def unavailable_reason(self) -> str | None:
        if self.available:
            return None
        return str(self.decision.unavailable_reason)


@dataclass(frozen=True)
class CheckoutPreview:
    quote: Quote
    lines: list[PreviewLine]
    parcels: int

    @property
    def available(self) -> bool:
        return all(line.available for line in self.lines)

    @property
    def pay_in_store_cents(self) -> int:
        """Reserve & collect lines are paid in the store, if the customer buys them."""
        return sum(
            line.quote.total_cents
            for line in self.lines
            if line.quote.request.method == FulfilmentMethod.RESERVE_COLLECT
        )

    @property
    def pay_online_cents(self) -> int:
        return self.quote.total_cents - self.pay_in_store_cents

    @property
    def promised_on(self) -> date | None:
        """The latest date of the available lines: when the whole order should be there."""
        dates = [line.promised_on for line in self.lines if line.promised_on]
        return max(dates) if dates else None


def preview_checkout(
    *, lines: list[LineRequest], point: Point, today: date | None = None
) -> CheckoutPreview:
    """Price `lines` and route them as place_order would, writing nothing: per line, its price,
    whether it can be served, from where, and the promised date (today + the routing's delay
    in days). `point` is the customer's delivery point (or the pickup store's, for a basket
    of collect lines only). A handful of queries, whatever the number of lines."""
    policy = OrderPolicy.current()
    routing = route_lines(lines=lines, point=point, policy=policy)
    priced = quote(lines, policy=policy)
    location_ids = {a.location_id for d in routing.decisions for a in d.allocations} | {
        d.location_id for d in routing.decisions if d.kind == DecisionKind.TRANSFER
    }
    stores = Store.objects.in_bulk(location_ids) if location_ids else {}
    today = today or timezone.localdate()
    preview_lines = []
    for line_quote, decision in zip(priced.lines, routing.decisions, strict=True):
        served = decision.kind in {DecisionKind.DIRECT, DecisionKind.TRANSFER}
        preview_lines.append(
            PreviewLine(
                quote=line_quote,
                decision=decision,
                served_by=[(stores[a.location_id], a.quantity) for a in decision.allocations]
                if served
                else [],
                promised_on=today + timedelta(days=decision.delay_days)
                if served and decision.delay_days is not None
                else None,
                pickup_store=stores[decision.location_id]
                if decision.kind == DecisionKind.TRANSFER
                else None,
            )
        )
    return CheckoutPreview(quote=priced, lines=preview_lines, parcels=len(routing.parcels))
