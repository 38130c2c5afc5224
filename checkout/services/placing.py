"""Placing an order: price the basket, route every line, hold the stock, write the order, take
the payment.

`place_order` is the one checkout path for the storefront, the API and the back-office's endless
aisle. It is all or nothing: when a line can no longer be served (another customer took the last
unit meanwhile), nothing is written and the customer is told which items.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Variant
from fulfillment.routing_candidates import routing_candidates
from fulfillment.services import Allocation, open_fulfilments
from orders.models import COLLECT_METHODS, FulfilmentMethod, Order, OrderPolicy, fulfilment_holder
from orders.pricing import LineRequest, Quote, quote
from orders.routing import (
    DecisionKind,
    Point,
    RequestLine,
    RoutingRequest,
    RoutingResult,
    route_order,
)
from orders.services import CustomerDetails, create_order, record_pickup_slots, routing_policy
from payments.models import Payment
from payments.services import PaymentDeclined, PaymentUnavailable, open_payment, take_payment
from stores.models import Reservation, Store
from stores.selectors import postal_code_centroid
from stores.services import InsufficientStock, reserve_lines

from ..errors import CheckoutInvalid, NoLongerAvailable
from .confirming import WrittenCheckout, abandon_checkout, confirm_order


@dataclass(frozen=True)
class CheckoutLine:
    variant: Variant
    quantity: int
    method: str
    store: Store | None = None  # the pickup store of a collect line
    # Whether the customer accepts this collect line sent from another store (the longer
    # promise): a page that showed the direct promise passes False, so a store running out
    # meanwhile refuses the order instead of silently promising days more.
    transfer_ok: bool = True


def _check(customer: CustomerDetails, lines: list[CheckoutLine]) -> None:
    errors = {}
    if not lines:
        errors["lines"] = _("The basket is empty.")
    for field_name in ("email", "first_name", "last_name"):
        if not str(getattr(customer, field_name) or "").strip():
            errors[field_name] = _("This field is required.")
    if any(line.method == FulfilmentMethod.HOME_DELIVERY for line in lines):
        for field_name in ("address_line", "postal_code", "city"):
            if not str(getattr(customer, field_name) or "").strip():
                errors[field_name] = _("Required for home delivery.")
    for line in lines:
        if line.quantity < 1:
            errors["lines"] = _("Each quantity must be 1 or more.")
        if line.method in COLLECT_METHODS:
            if line.store is None or line.store.status != Store.Status.ACTIVE:
                errors["lines"] = _("Choose an open store to collect %(sku)s.") % {
                    "sku": line.variant.sku
                }
            elif not line.store.offers(line.method):
                message = (
                    _("%(store)s does not offer click & collect.")
                    if line.method == FulfilmentMethod.CLICK_COLLECT
                    else _("%(store)s does not offer reserve & collect.")
                )
                errors["lines"] = message % {"store": line.store.name}
    if errors:
        raise CheckoutInvalid(_("The checkout is incomplete."), **errors)


def route_lines(
    *, lines: list[LineRequest] | list[CheckoutLine], point: Point, policy: OrderPolicy
) -> RoutingResult:
    """Route `lines` for a customer at `point` as HQ's policy says, among the locations that
    hold them now (fulfillment.routing_candidates). Writes nothing: the checkout preview and
    place_order route the same way."""
    request = RoutingRequest(
        lines=tuple(
            RequestLine(
                variant_id=line.variant.pk,
                quantity=line.quantity,
                method=line.method,
                chosen_store_id=line.store.pk if line.store else None,
            )
            for line in lines
        ),
        customer=point,
    )
    rules = routing_policy(policy)
    locations = routing_candidates(
        variant_ids={line.variant.pk for line in lines},
        point=point,
        radius_km=rules.max_distance_km,
        include_store_ids={line.store.pk for line in lines if line.store},
        fairness_window=timedelta(days=policy.fairness_window_days),
    )
    return route_order(request=request, locations=locations, policy=rules)


# A collect line is served by its chosen store, or sent there from another store's stock.
SERVED_KINDS = {DecisionKind.DIRECT, DecisionKind.TRANSFER}


def place_order(
    *,
    customer: CustomerDetails,
    lines: list[CheckoutLine],
    actor: Any,
    channel: str = Order.Channel.WEB,
    placed_by_store: Store | None = None,
    payment_token: str = "",
    pickup_slots: dict[int, tuple[datetime, datetime]] | None = None,
) -> Order:
    """Place an order for `lines` and take its online payment. `pickup_slots` are the times the
    customer chose to collect at stores that offer slots ({store_id: (start, end)}); they are
    written with the order.

    Three steps, so that the provider's network call holds no database lock: (1) one transaction
    writes the order awaiting payment, its pending payment and checkout holds on the stock
    (they expire after OrderPolicy.checkout_hold_minutes); (2) the charge; (3) one transaction
    converts the holds
    into the order's and places it (deadlines, events, e-mail). A declined payment gives the
    holds back at once; a process that dies between the steps leaves holds that stop counting
    at their expiry, and `settle_abandoned_checkouts` tidies the order up.

    A payment the provider has not decided yet (3-D Secure, a slow bank) leaves the order
    awaiting payment, returned as it is: the provider's webhook or the sweeper settles it.

    Raises CheckoutInvalid (400), NoLongerAvailable (409), PaymentDeclined (402) or
    PaymentUnavailable (503).
    """
    _check(customer, lines)
    policy = OrderPolicy.current()
    home = customer.postal_code and postal_code_centroid(customer.postal_code)
    if any(line.method == FulfilmentMethod.HOME_DELIVERY for line in lines) and not home:
        raise CheckoutInvalid(
            _("We don't know this postal code."), postal_code=_("Unknown postal code.")
        )
    first_store = next((line.store for line in lines if line.store), None)
    point = (
        Point(*home) if home else Point(float(first_store.latitude), float(first_store.longitude))
    )
    routing = route_lines(lines=lines, point=point, policy=policy)
    lost = [
        lines[decision.line_index].variant.sku
        for decision in routing.decisions
        if decision.kind not in SERVED_KINDS
        or (decision.kind == DecisionKind.TRANSFER and not lines[decision.line_index].transfer_ok)
    ]
    if lost:
        raise NoLongerAvailable(
            _("No longer available as chosen: %(skus)s. Nothing was ordered.")
            % {"skus": ", ".join(lost)},
            skus=lost,
        )
    priced = quote(
        [LineRequest(line.variant, line.quantity, line.method, line.store) for line in lines],
        policy=policy,
    )
    try:
        with transaction.atomic():
            order, payment, written = _write_order(
                customer=customer,
                priced=priced,
                routing=routing,
                policy=policy,
                channel=channel,
                placed_by_store=placed_by_store,
                actor=actor,
                pickup_slots=pickup_slots or {},
            )
    except InsufficientStock as error:
        raise NoLongerAvailable(
            _("%(reason)s Nothing was ordered.") % {"reason": error.message}
        ) from error
    try:
        payment = take_payment(order=order, payment_token=payment_token, payment=payment)
    except PaymentDeclined:
        abandon_checkout(order=order, actor=actor, reason=_("The payment was declined."))
        raise
    except PaymentUnavailable:
        abandon_checkout(order=order, actor=actor, reason=_("The payment service did not answer."))
        raise
    if payment is not None and payment.status == Payment.Status.PENDING:
        return order
    placed = confirm_order(order=order, actor=actor, written=written)
    if placed_by_store is not None and placed.placed_by_store_id == placed_by_store.pk:
        placed.placed_by_store = placed_by_store  # in hand: the answer names it
    return placed


def _write_order(
    *,
    customer: CustomerDetails,
    priced: Quote,
    routing: RoutingResult,
    policy: OrderPolicy,
    channel: str,
    placed_by_store: Store | None,
    actor: Any,
    pickup_slots: dict[int, tuple[datetime, datetime]],
) -> tuple[Order, Payment | None, WrittenCheckout]:
    """The order awaiting payment (orders.services.create_order), one fulfilment per location,
    method and pickup store, its pending payment, and the checkout holds on the stock; with
    what it wrote, for confirm_order."""
    now = timezone.now()
    order, order_lines, first_event = create_order(
        customer=customer,
        priced=priced,
        channel=channel,
        placed_by_store=placed_by_store,
        routing_log=[{"at": now.isoformat(), "reason": "placed", "result": routing.as_dict()}],
        actor=actor,
    )
    # The pickup stores are in hand; only the other locations routing chose are read.
    in_hand = {
        line.request.store.pk: line.request.store for line in priced.lines if line.request.store
    }
    located = {a.location_id for d in routing.decisions for a in d.allocations}
    stores = {pk: in_hand[pk] for pk in located if pk in in_hand}
    if located - stores.keys():
        stores |= Store.objects.in_bulk(located - stores.keys())
    allocations = []
    for order_line, line_quote, decision in zip(
        order_lines, priced.lines, routing.decisions, strict=True
    ):
        line = line_quote.request
        # A transfer: the source sells and sends its stock to the customer's chosen store.
        pickup = line.store if decision.kind == DecisionKind.TRANSFER else None
        allocations += [
            Allocation(
                order_line=order_line,
                location=stores[allocation.location_id],
                method=line.method,
                quantity=allocation.quantity,
                pickup_store=pickup,
            )
            for allocation in decision.allocations
        ]
    opened = open_fulfilments(order=order, allocations=allocations)
    collect_stores = {line.request.store.pk for line in priced.lines if line.request.store}
    recorded = record_pickup_slots(
        order=order,
        slots={
            store_id: slot for store_id, slot in pickup_slots.items() if store_id in collect_stores
        },
    )
    payment = open_payment(order=order)
    # Checkout holds, under each fulfilment's holder: the payment has this long to go through.
    # Last, so that the stock rows stay locked only until the commit that follows.
    holds: dict[int, list[Reservation]] = {}
    for fulfilment, allocation in opened:
        holds.setdefault(fulfilment.pk, []).extend(
            reserve_lines(
                lines=[(allocation.location, allocation.order_line.variant, allocation.quantity)],
                holder=fulfilment_holder(fulfilment.pk),
                kind=Reservation.Kind.CHECKOUT,
                ttl=timedelta(minutes=policy.checkout_hold_minutes),
                actor=actor,
            )
        )
    written = WrittenCheckout(
        lines=sorted(order_lines, key=lambda line: line.pk),
        fulfilments=list({fulfilment.pk: fulfilment for fulfilment, _ in opened}.values()),
        first_event=first_event,
        policy=policy,
        holds=holds,
        slots_recorded=bool(recorded),
    )
    return order, payment, written
