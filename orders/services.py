"""Placing an order: price the basket, route every line, hold the stock, write the order.

`place_order` is the one checkout path for the storefront, the API and the back-office's endless
aisle. It is all or nothing: when a line can no longer be served (another customer took the last
unit meanwhile), nothing is written and the customer is told which items.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog.models import Variant
from network_marketplace.audit import actor_label, record_audit_event
from network_marketplace.errors import DomainError
from network_marketplace.notifications import send_templated_email
from network_marketplace.webhooks import emit_event
from stores.models import Reservation, Store
from stores.selectors import attributed_store_for, available_to_reserve, postal_code_centroid
from stores.services import (
    InsufficientStock,
    ReservationExpired,
    convert_reservations,
    release_holder,
    reserve_lines,
)

from .models import (
    COLLECT_METHODS,
    Cart,
    CartLine,
    FulfilmentMethod,
    Order,
    OrderEvent,
    OrderLine,
    OrderPolicy,
    PickupSlot,
    fulfilment_holder,
)
from .pricing import LineRequest, quote
from .routing import DecisionKind, Point, RequestLine, RoutingPolicy, RoutingRequest, route_order
from .selectors import routing_candidates, transfer_source_units
from .states import check_order_transition


class NoLongerAvailable(DomainError):
    """Some items can no longer be served: nothing was ordered."""

    code = "no_longer_available"
    http_status = 409


class CheckoutInvalid(DomainError):
    """The checkout is incomplete."""

    code = "checkout_invalid"
    http_status = 400


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


@dataclass(frozen=True)
class CustomerDetails:
    email: str
    first_name: str
    last_name: str
    phone: str = ""
    address_line: str = ""
    postal_code: str = ""
    city: str = ""
    user: object = None
    language: str = "fr"


def acceptance_window(store: Store, policy: OrderPolicy) -> timedelta:
    """How long a store has to accept a routed fulfilment: its own setting, else HQ's."""
    minutes = store.accept_within_minutes or policy.accept_within_minutes
    return timedelta(minutes=minutes)


def routing_policy(policy: OrderPolicy) -> RoutingPolicy:
    """HQ's routing rules, as set in the order policy, for the routing engine."""
    return RoutingPolicy(
        distance_weight=float(policy.distance_weight),
        stock_depth_weight=float(policy.stock_depth_weight),
        load_weight=float(policy.load_weight),
        fairness_weight=float(policy.fairness_weight),
        max_parcels=policy.max_parcels,
        max_distance_km=float(policy.max_distance_km),
        warehouse_first=policy.warehouse_first,
        transfer_for_collect=policy.transfer_for_collect,
        transfer_delay_days=policy.transfer_delay_days,
        collect_delay_days=policy.collect_delay_days,
        warehouse_delivery_days=policy.warehouse_delivery_days,
        store_delivery_days=policy.store_delivery_days,
    )


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
            elif (
                line.method == FulfilmentMethod.CLICK_COLLECT
                and not line.store.offers_click_collect
            ):
                errors["lines"] = _("%(store)s does not offer click & collect.") % {
                    "store": line.store.name
                }
            elif (
                line.method == FulfilmentMethod.RESERVE_COLLECT
                and not line.store.offers_reserve_collect
            ):
                errors["lines"] = _("%(store)s does not offer reserve & collect.") % {
                    "store": line.store.name
                }
    if errors:
        raise CheckoutInvalid(_("The checkout is incomplete."), **errors)


def _route(customer, lines, point, policy):
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
    )
    return route_order(request=request, locations=locations, policy=rules)


# A collect line is served by its chosen store, or sent there from another store's stock.
SERVED_KINDS = {DecisionKind.DIRECT, DecisionKind.TRANSFER}


def place_order(
    *,
    customer: CustomerDetails,
    lines: list[CheckoutLine],
    actor,
    channel: str = Order.Channel.WEB,
    placed_by_store: Store | None = None,
    payment_token: str = "",
    pickup_slots: dict[int, tuple] | None = None,
) -> Order:
    """Place an order for `lines` and take its online payment. `pickup_slots` are the times the
    customer chose to collect at stores that offer slots ({store_id: (start, end)}); they are
    written with the order.

    Three steps, so that the provider's network call holds no database lock: (1) one transaction
    writes the order awaiting payment with checkout holds on the stock (they expire after
    OrderPolicy.checkout_hold_minutes); (2) the payment; (3) one transaction converts the holds
    into the order's and places it (deadlines, events, e-mail). A declined payment gives the
    holds back at once; a process that dies between the steps leaves holds that stop counting
    at their expiry, and `settle_abandoned_checkouts` tidies the order up.

    A payment the provider has not decided yet (3-D Secure, a slow bank) leaves the order
    awaiting payment, returned as it is: the provider's webhook or the sweeper settles it.

    Raises CheckoutInvalid (400), NoLongerAvailable (409), PaymentDeclined (402) or
    PaymentUnavailable (503).
    """
    from payments.models import Payment
    from payments.services import PaymentDeclined, PaymentUnavailable, take_payment

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
    routing = _route(customer, lines, point, policy)
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
            order = _write_order(
                customer,
                lines,
                priced,
                routing,
                policy,
                channel,
                placed_by_store,
                actor,
                pickup_slots or {},
            )
    except InsufficientStock as error:
        raise NoLongerAvailable(
            _("%(reason)s Nothing was ordered.") % {"reason": error.message}
        ) from error
    try:
        payment = take_payment(order=order, payment_token=payment_token)
    except PaymentDeclined:
        abandon_checkout(order=order, actor=actor, reason=_("The payment was declined."))
        raise
    except PaymentUnavailable:
        abandon_checkout(order=order, actor=actor, reason=_("The payment service did not answer."))
        raise
    if payment is not None and payment.status == Payment.Status.PENDING:
        return order
    return confirm_order(order=order, actor=actor)


def online_payment_cents(lines: list[CheckoutLine], priced) -> int:
    """What is paid at checkout: every line but reserve & collect ones, and the delivery fee."""
    return priced.shipping_cents + sum(
        line_quote.total_cents
        for line, line_quote in zip(lines, priced.lines, strict=True)
        if line.method != FulfilmentMethod.RESERVE_COLLECT
    )


def _write_order(
    customer, lines, priced, routing, policy, channel, placed_by_store, actor, pickup_slots
):
    from fulfillment.models import Fulfilment, FulfilmentLine

    now = timezone.now()
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
        or next((line.store for line in lines if line.store), None),
        placed_by_store=placed_by_store,
        subtotal_cents=priced.subtotal_cents,
        shipping_cents=priced.shipping_cents,
        total_cents=priced.total_cents,
        vat_cents=priced.vat_cents,
        online_payment_cents=online_payment_cents(lines, priced),
        routing_log=[{"at": now.isoformat(), "reason": "placed", "result": routing.as_dict()}],
    )
    order.number = f"ARD-{order.pk:07d}"
    order.save(update_fields=["number"])
    stores = {
        store.pk: store
        for store in Store.objects.filter(
            pk__in={a.location_id for d in routing.decisions for a in d.allocations}
        )
    }
    fulfilments: dict[tuple[int, str, int | None], Fulfilment] = {}
    holds = []
    for line, line_quote, decision in zip(lines, priced.lines, routing.decisions, strict=True):
        order_line = OrderLine.objects.create(
            order=order,
            variant=line.variant,
            product_name=line.variant.product.name,
            sku=line.variant.sku,
            options_label=line.variant.option_label,
            quantity=line.quantity,
            unit_price_cents=line_quote.unit_price_cents,
            vat_percent=Decimal(line_quote.vat_percent),
            total_cents=line_quote.total_cents,
            vat_cents=line_quote.vat_cents,
            method=line.method,
            chosen_store=line.store,
        )
        # A transfer: the source sells and sends its stock to the customer's chosen store.
        pickup = line.store if decision.kind == DecisionKind.TRANSFER else None
        for allocation in decision.allocations:
            key = (allocation.location_id, line.method, pickup.pk if pickup else None)
            if key not in fulfilments:
                # The deadline to accept starts when the order is paid (confirm_order).
                fulfilments[key] = Fulfilment.objects.create(
                    order=order,
                    store=stores[allocation.location_id],
                    method=line.method,
                    pickup_store=pickup,
                )
            FulfilmentLine.objects.create(
                fulfilment=fulfilments[key], order_line=order_line, quantity=allocation.quantity
            )
            holds.append((fulfilments[key], stores[allocation.location_id], line, allocation))
    collect_stores = {line.store.pk for line in lines if line.store is not None}
    record_pickup_slots(
        order=order,
        slots={
            store_id: slot for store_id, slot in pickup_slots.items() if store_id in collect_stores
        },
    )
    OrderEvent.objects.create(
        order=order, to_status=Order.Status.PENDING_PAYMENT, actor_label=actor_label(actor)
    )
    # Checkout holds, under each fulfilment's holder: the payment has this long to go through.
    # Last, so that the stock rows stay locked only until the commit that follows.
    for fulfilment, store, line, allocation in holds:
        reserve_lines(
            lines=[(store, line.variant, allocation.quantity)],
            holder=fulfilment_holder(fulfilment.pk),
            kind=Reservation.Kind.CHECKOUT,
            ttl=timedelta(minutes=policy.checkout_hold_minutes),
            actor=actor,
        )
    return order


class _StockGone(Exception):
    """Inside confirm_order: a hold could not be made firm; its transaction rolls back."""


def confirm_order(*, order: Order, actor) -> Order:
    """The payment went through: the checkout holds become the order's, the stores' deadlines
    start, and everyone is told. Idempotent. If a hold expired meanwhile (a payment slower than
    the checkout hold) the stock is taken again; when it is gone, the order is cancelled, the
    payment refunded, and NoLongerAvailable raised."""
    from fulfillment.models import Fulfilment

    policy = OrderPolicy.current()
    now = timezone.now()
    try:
        with transaction.atomic():
            order = Order.objects.select_for_update().get(pk=order.pk)
            if order.status != Order.Status.PENDING_PAYMENT:
                return order
            fulfilments = list(
                Fulfilment.objects.filter(order=order)
                .select_related("store")
                .prefetch_related("lines__order_line__variant")
            )
            for fulfilment in fulfilments:
                fulfilment.accept_deadline = now + acceptance_window(fulfilment.store, policy)
            Fulfilment.objects.bulk_update(fulfilments, ["accept_deadline"])
            _announce_placed(order, fulfilments, now, actor)
            # Stock last: its rows stay locked only until this transaction commits.
            try:
                for fulfilment in fulfilments:
                    _firm_up_holds(fulfilment, policy, actor)
            except (ReservationExpired, InsufficientStock) as gone:
                raise _StockGone(gone.facts.get("sku") or "") from gone
            return order
    except _StockGone as gone:
        skus = [sku for sku in gone.args if sku]
    abandon_checkout(
        order=order,
        actor=actor,
        reason=_("The items were no longer available when the payment went through."),
    )
    raise NoLongerAvailable(
        _(
            "The items were no longer available when your payment went through: nothing was "
            "ordered and your payment is refunded."
        ),
        skus=skus,
    )


def _firm_up_holds(fulfilment, policy: OrderPolicy, actor) -> None:
    holder = fulfilment_holder(fulfilment.pk)
    # A transfer's source holds firmly: a reserve & collect hold starts at the pickup store,
    # when the goods arrive (fulfillment/transfers.py).
    reserve_and_collect = (
        fulfilment.method == FulfilmentMethod.RESERVE_COLLECT and fulfilment.pickup_store_id is None
    )
    kind = Reservation.Kind.RESERVE_COLLECT if reserve_and_collect else Reservation.Kind.ORDER
    ttl = timedelta(hours=policy.reserve_hold_hours) if reserve_and_collect else None
    lines = [
        (fulfilment.store, line.order_line.variant, line.quantity)
        for line in fulfilment.lines.all()
    ]
    holds = list(
        Reservation.objects.filter(holder=holder, kind=Reservation.Kind.CHECKOUT).holding_at(
            timezone.now()
        )
    )
    if sorted((h.variant_id, h.quantity) for h in holds) == sorted(
        (variant.pk, quantity) for _store, variant, quantity in lines
    ):
        try:
            convert_reservations(reservations=holds, holder=holder, kind=kind, ttl=ttl, actor=actor)
            return
        except ReservationExpired:
            pass  # it expired in the meantime: take the stock again below
    # The payment outlasted the checkout hold: take the stock again if it is still there.
    release_holder(holder=holder, actor=actor)
    reserve_lines(lines=lines, holder=holder, kind=kind, ttl=ttl, actor=actor)


def _announce_placed(order: Order, fulfilments, now, actor) -> None:
    check_order_transition(order.status, Order.Status.PLACED)
    OrderEvent.objects.create(
        order=order,
        from_status=order.status,
        to_status=Order.Status.PLACED,
        actor_label=actor_label(actor),
    )
    order.status = Order.Status.PLACED
    order.placed_at = now
    order.save(update_fields=["status", "placed_at", "updated_at"])
    record_audit_event(
        actor=actor,
        action="order.placed",
        target=order,
        store_id=order.attributed_store_id,
        data={"routing": order.routing_log[-1]["result"]},
    )
    emit_event(
        event_type="order.created",
        store_id=order.attributed_store_id,
        event_id=f"order.created:{order.pk}",
        data={
            "order": order.number,
            "total_cents": order.total_cents,
            "fulfilments": [f.pk for f in fulfilments],
        },
    )
    for fulfilment in fulfilments:
        emit_event(
            event_type="fulfillment.created",
            store_id=fulfilment.store_id,
            event_id=f"fulfillment.created:{fulfilment.pk}",
            data={"fulfilment": fulfilment.pk, "order": order.number, "method": fulfilment.method},
        )
    transfers = _transfer_promises(order, fulfilments)
    send_templated_email(
        to=order.email,
        template="order_confirmation",
        language=order.language,
        dedupe_key=f"order-confirmed:{order.pk}",
        context={
            "number": order.number,
            "first_name": order.first_name,
            "total_cents": order.total_cents,
            "lines": [
                {
                    "name": line.product_name,
                    "quantity": line.quantity,
                    "total_cents": line.total_cents,
                    **transfers.get(line.pk, {}),
                }
                for line in order.lines.all()
            ],
        },
    )


def _transfer_promises(order: Order, fulfilments) -> dict[int, dict]:
    """{order line id: the pickup store and the days} of the lines another store sends to the
    customer's chosen store: the confirmation e-mail states that longer promise."""
    decisions = order.routing_log[-1]["result"]["lines"]
    days_of = {decision["line"]: decision.get("delay_days") for decision in decisions}
    index_of = {line.pk: index for index, line in enumerate(order.lines.order_by("pk"))}
    found = {}
    for fulfilment in fulfilments:
        if fulfilment.pickup_store_id is None:
            continue
        for line in fulfilment.lines.all():
            found[line.order_line_id] = {
                "transfer_store": fulfilment.pickup_store.name,
                "transfer_days": days_of.get(index_of.get(line.order_line_id)),
            }
    return found


def abandon_checkout(*, order: Order, actor, reason: str) -> Order:
    """An order that will not be placed (payment declined or never completed, stock gone): its
    holds go back at once, it ends cancelled, and whatever was charged is refunded. Idempotent."""
    from fulfillment.models import Fulfilment
    from payments.services import paid_online_cents, refund_payment

    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.status != Order.Status.PENDING_PAYMENT:
            return order
        now = timezone.now()
        for fulfilment in Fulfilment.objects.filter(order=order):
            release_holder(holder=fulfilment_holder(fulfilment.pk), actor=actor)
        Fulfilment.objects.filter(order=order).update(
            status=Fulfilment.Status.CANCELLED, closed_at=now, updated_at=now
        )
        check_order_transition(order.status, Order.Status.CANCELLED)
        OrderEvent.objects.create(
            order=order,
            from_status=order.status,
            to_status=Order.Status.CANCELLED,
            actor_label=actor_label(actor),
            reason=reason[:300],
        )
        order.status = Order.Status.CANCELLED
        order.save(update_fields=["status", "updated_at"])
        refund_payment(
            order=order,
            amount_cents=paid_online_cents(order),
            reason=reason,
            idempotency_key=f"order:{order.pk}:abandoned",
            actor=actor,
        )
    return order


def settle_abandoned_checkouts(*, now=None) -> int:
    """The sweeper for checkouts that never finished (the process died during the payment, or
    the customer left a provider's page): past their checkout hold, a payment still pending is
    first asked of the provider (and settled by its answer; one pending for longer than
    PENDING_CHARGE_PATIENCE is given up); an order that was paid is placed if its stock can
    still be held, else cancelled and refunded; an unpaid one is cancelled. Returns how many
    orders it settled. Safe to run concurrently and to repeat."""
    from payments.models import Payment
    from payments.providers import ProviderUnavailable
    from payments.services import PENDING_CHARGE_PATIENCE, settle_pending_payment

    now = now or timezone.now()
    policy = OrderPolicy.current()
    cutoff = now - timedelta(minutes=policy.checkout_hold_minutes)
    settled = 0
    due = Order.objects.filter(status=Order.Status.PENDING_PAYMENT, created_at__lt=cutoff)
    for order in due.order_by("created_at")[:500]:
        pending = order.payments.filter(status=Payment.Status.PENDING).exclude(reference="")
        payment = pending.order_by("-created_at").first()
        if payment is not None:
            # The provider may have decided without telling us yet: ask it first.
            try:
                payment = settle_pending_payment(payment=payment, actor=None)
            except ProviderUnavailable:
                continue  # asked again at the next sweep
            if payment.status != Payment.Status.PENDING:
                settled += 1
                continue
            if order.created_at >= now - PENDING_CHARGE_PATIENCE:
                continue  # still with the customer's bank: wait
        paid = order.payments.filter(status=Payment.Status.SUCCEEDED).exists()
        if paid:
            # Placed if its stock can still be held; else cancelled and refunded by confirm_order.
            with suppress(NoLongerAvailable):
                confirm_order(order=order, actor=None)
        else:
            abandon_checkout(
                order=order, actor=None, reason=_("The payment was not completed in time.")
            )
        settled += 1
    return settled


# After placement: the order's status follows its fulfilments; lines that can't be served end --


# The webhook each status of the roll-up emits.
EVENT_OF_ORDER_STATUS = {
    Order.Status.IN_PROGRESS: "order.updated",
    Order.Status.COMPLETED: "order.completed",
    Order.Status.CANCELLED: "order.cancelled",
}
# The roll-up only moves forward.
_RANK = {Order.Status.PLACED: 0, Order.Status.IN_PROGRESS: 1}


def rolled_up_status(order: Order) -> str:
    """The status an order's lines and fulfilments call for: CANCELLED when every unit of every
    line is cancelled; COMPLETED when no fulfilment is open and at least one ended in a sale;
    IN_PROGRESS once a store accepted; else PLACED."""
    from fulfillment.models import Fulfilment
    from fulfillment.states import COMPLETED_STATUSES, OPEN_STATUSES

    lines = list(order.lines.values_list("quantity", "cancelled_quantity"))
    if lines and all(cancelled >= quantity for quantity, cancelled in lines):
        return Order.Status.CANCELLED
    fulfilments = list(Fulfilment.objects.filter(order=order).values_list("status", "accepted_at"))
    statuses = {status for status, _accepted in fulfilments}
    if statuses and not statuses & OPEN_STATUSES and statuses & COMPLETED_STATUSES:
        return Order.Status.COMPLETED
    if any(accepted for _status, accepted in fulfilments):
        return Order.Status.IN_PROGRESS
    return Order.Status.PLACED


def roll_up_order_status(*, order: Order, actor, reason: str = "") -> Order:
    """Move the order to the status its fulfilments call for (`rolled_up_status`), with an
    OrderEvent, an audit row and the `order.updated` / `order.completed` / `order.cancelled`
    webhook. Every fulfilment step calls it last, in its transaction; lock order: the
    fulfilment's row first, then the order's. Idempotent; an order awaiting payment or already
    ended is left alone (the checkout owns the first, the second does not come back)."""
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.status not in _RANK:
            return locked
        target = rolled_up_status(locked)
        if target == locked.status or _RANK.get(target, 2) <= _RANK[locked.status]:
            return locked
        check_order_transition(locked.status, target)
        previous = locked.status
        locked.status = target
        locked.save(update_fields=["status", "updated_at"])
        OrderEvent.objects.create(
            order=locked,
            from_status=previous,
            to_status=target,
            actor_label=actor_label(actor),
            reason=reason[:300],
        )
        record_audit_event(
            actor=actor,
            action=f"order.{target}",
            target=locked,
            store_id=locked.attributed_store_id,
            data={"from": previous, "to": target},
        )
        event_type = EVENT_OF_ORDER_STATUS[target]
        emit_event(
            event_type=event_type,
            store_id=locked.attributed_store_id,
            event_id=f"{event_type}:{locked.pk}:{target}",
            data={"order": locked.number, "status": target, "previous_status": previous},
        )
    return locked


class CancellationReason(models.TextChoices):
    """Why units of an order were cancelled: what the customer's e-mail says."""

    REJECTED = "rejected", gettext_lazy("No store could take the order")
    TIMED_OUT = "timed_out", gettext_lazy("No store confirmed the order in time")
    PICKUP_REFUSED = "pickup_refused", gettext_lazy("The pickup store could not prepare it")
    PICKUP_NOT_CONFIRMED = (
        "pickup_not_confirmed",
        gettext_lazy("The pickup store did not confirm it in time"),
    )
    UNCOLLECTED = "uncollected", gettext_lazy("Not collected in time")
    RESERVATION_EXPIRED = "reservation_expired", gettext_lazy("The reservation expired")
    NOT_PURCHASED = "not_purchased", gettext_lazy("Not bought in store")
    CANCELLED = "cancelled", gettext_lazy("Cancelled by the store")


@dataclass(frozen=True)
class LinesCancelled:
    lines: list[tuple[OrderLine, int]]  # each line (as it is now) and the units cancelled now
    refund_cents: int  # what was asked of payments (items paid online, delivery fee)
    refund: object = None  # the payments.Refund made, None when nothing was paid online


def cancel_order_lines(
    *,
    order: Order,
    quantities: dict[int, int],
    why: str,
    key: str,
    actor,
    notify: bool = True,
) -> LinesCancelled:
    """Cancel units of an order's lines (`quantities`: order line id -> units): counted in
    `OrderLine.cancelled_quantity`, refunded (the items paid online, plus the delivery fee once
    no home-delivery unit is left) and told to the customer (unless `notify` is false: the
    customer was in the store).

    `why` is a CancellationReason; `key` names the event ("fulfilment:12:lost"): the refund's
    idempotency key and the e-mail's dedupe key come from it. Call it inside the transaction
    of the change that causes it, which must happen once (a fulfilment's move): the counts are
    added, not set. The caller rolls the order's status up afterwards.
    """
    from payments.services import refund_payment

    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        by_id = {line.pk: line for line in order.lines.order_by("pk")}
        cancelled: list[tuple[OrderLine, int]] = []
        for line_id, wanted in sorted(quantities.items()):
            line = by_id[line_id]
            units = min(wanted, line.quantity - line.cancelled_quantity)
            if units <= 0:
                continue
            line.cancelled_quantity += units
            line.save(update_fields=["cancelled_quantity"])
            cancelled.append((line, units))
        if not cancelled:
            return LinesCancelled(lines=[], refund_cents=0)
        amount = sum(
            line.unit_price_cents * units
            for line, units in cancelled
            if line.method != FulfilmentMethod.RESERVE_COLLECT
        )
        home_cancelled = any(
            line.method == FulfilmentMethod.HOME_DELIVERY for line, _u in cancelled
        )
        home_left = any(
            line.quantity > line.cancelled_quantity
            for line in by_id.values()
            if line.method == FulfilmentMethod.HOME_DELIVERY
        )
        if home_cancelled and not home_left:
            amount += order.shipping_cents
        with translation.override(order.language):
            reason_label = str(CancellationReason(why).label)  # shown to the customer
        refund = (
            refund_payment(
                order=order,
                amount_cents=amount,
                reason=reason_label,
                idempotency_key=f"{key}:refund",
                actor=actor,
            )
            if amount > 0
            else None
        )
        whole_order = all(line.cancelled_quantity >= line.quantity for line in by_id.values())
        summary = [{"sku": line.sku, "quantity": units} for line, units in cancelled]
        record_audit_event(
            actor=actor,
            action="order.lines_cancelled",
            target=order,
            store_id=order.attributed_store_id,
            data={"why": why, "key": key, "lines": summary, "refund_cents": amount},
        )
        emit_event(
            event_type="order.updated",
            store_id=order.attributed_store_id,
            event_id=f"order.updated:{key}:cancelled",
            data={
                "order": order.number,
                "status": order.status,
                "cancelled": summary,
                "reason": why,
                "refund_cents": refund.amount_cents if refund else 0,
            },
        )
        if notify:
            send_templated_email(
                to=order.email,
                template="order_lines_cancelled",
                language=order.language,
                dedupe_key=f"lines-cancelled:{key}",
                context={
                    "number": order.number,
                    "first_name": order.first_name,
                    "why": why,
                    "whole_order": whole_order,
                    "refund_cents": refund.amount_cents if refund else 0,
                    "lines": [
                        {
                            "name": line.product_name,
                            "options": line.options_label,
                            "quantity": units,
                        }
                        for line, units in cancelled
                    ],
                },
            )
    return LinesCancelled(lines=cancelled, refund_cents=amount, refund=refund)


def record_routing(*, order: Order, reason: str, result, **facts) -> None:
    """Append a routing decision (a re-route after a refusal or a timeout) to the order's
    `routing_log`, as {"at", "reason", "result", **facts}. The caller holds the order's lock."""
    entry = {
        "at": timezone.now().isoformat(),
        "reason": reason,
        **facts,
        "result": result.as_dict(),
    }
    order.routing_log = [*(order.routing_log or []), entry]
    order.save(update_fields=["routing_log", "updated_at"])


# Carts ---------------------------------------------------------------------------------------
#
# A cart holds no stock: what it shows is re-checked on every view and once more by place_order.

MAX_LINE_QUANTITY = 99


class CartInvalid(DomainError):
    """This cannot go in the cart as asked."""

    code = "cart_invalid"
    http_status = 400


def get_or_create_cart(*, user=None, token: str | None = None) -> Cart:
    """The signed-in customer's cart (made on first use), else the guest cart of `token`, else a
    new guest cart."""
    if getattr(user, "is_authenticated", False):
        cart, _created = Cart.objects.get_or_create(customer=user)
        return cart
    if token:
        cart = Cart.objects.filter(token=token, customer__isnull=True).first()
        if cart is not None:
            return cart
    return Cart.objects.create()


def _check_cart_line(variant: Variant, method: str, store: Store | None) -> None:
    if method not in FulfilmentMethod.values:
        raise CartInvalid(_("Choose how you want to get this item."), method=_("Unknown choice."))
    if not variant.is_active or variant.product.status != "published":
        raise CartInvalid(_("This item is no longer sold."), variant=variant.sku)
    if method == FulfilmentMethod.HOME_DELIVERY:
        return
    if store is None:
        raise CartInvalid(_("Choose the store where you will collect it."), store=_("Required."))
    if store.status != Store.Status.ACTIVE or store.kind == Store.Kind.WAREHOUSE:
        raise CartInvalid(_("%(store)s is not open for orders.") % {"store": store.name})
    offered = (
        store.offers_click_collect
        if method == FulfilmentMethod.CLICK_COLLECT
        else store.offers_reserve_collect
    )
    if not offered:
        raise CartInvalid(
            _("%(store)s does not offer %(method)s.")
            % {"store": store.name, "method": FulfilmentMethod(method).label.lower()},
            store=_("Not offered by this store."),
        )


def _check_quantity(quantity: int) -> None:
    if not 1 <= quantity <= MAX_LINE_QUANTITY:
        raise CartInvalid(
            _("Choose a quantity between 1 and %(max)s.") % {"max": MAX_LINE_QUANTITY},
            quantity=_("Between 1 and %(max)s.") % {"max": MAX_LINE_QUANTITY},
        )


def _check_stock(variant: Variant, method: str, store: Store | None, quantity: int) -> None:
    from .selectors import home_delivery_available

    if method == FulfilmentMethod.HOME_DELIVERY:
        available = home_delivery_available([variant.pk]).get(variant.pk, 0)
        where = _("for home delivery")
    else:
        available = available_to_reserve([(store.pk, variant.pk)])[(store.pk, variant.pk)]
        where = _("at %(store)s") % {"store": store.name}
        if (
            available < quantity
            and transfer_source_units(variant_id=variant.pk, pickup_store=store) >= quantity
        ):
            return  # another location sends it to the store: the cart shows the longer promise
    if available < quantity:
        if available == 0:
            message = _("%(product)s is not available %(where)s right now.")
        else:
            message = _("Only %(available)s of %(product)s available %(where)s.")
        raise CartInvalid(
            message % {"product": variant, "available": available, "where": where},
            quantity=_("At most %(available)s.") % {"available": available},
            available=available,
        )


def add_to_cart(
    *, cart: Cart, variant: Variant, quantity: int, method: str, store: Store | None = None
) -> CartLine:
    """Add `quantity` of `variant`, served by `method` (at `store` for a collect method); the
    same item served the same way raises the existing line's quantity. Raises CartInvalid when
    the store does not offer the method or has not that many available and no other location
    may send them there (a store-to-store transfer, with its longer promise in the cart)."""
    store = store if method in COLLECT_METHODS else None
    _check_cart_line(variant, method, store)
    _check_quantity(quantity)
    with transaction.atomic():
        Cart.objects.select_for_update().filter(pk=cart.pk).first()
        line = CartLine.objects.filter(
            cart=cart, variant=variant, method=method, store=store
        ).first()
        total = quantity + (line.quantity if line else 0)
        _check_quantity(total)
        _check_stock(variant, method, store, total)
        if line is None:
            line = CartLine.objects.create(
                cart=cart, variant=variant, quantity=quantity, method=method, store=store
            )
        else:
            line.quantity = total
            line.save(update_fields=["quantity", "updated_at"])
        cart.save(update_fields=["updated_at"])
    return line


def update_cart_line(
    *, cart: Cart, line_id: int, quantity: int, method: str | None = None, store=None
) -> CartLine:
    """Change a line's quantity and, when given, how it is served. Moving it onto another line
    of the same item served the same way merges the two. Raises CartInvalid."""
    with transaction.atomic():
        line = (
            CartLine.objects.select_for_update(of=("self",))
            .select_related("variant__product", "store")
            .filter(cart=cart, pk=line_id)
            .first()
        )
        if line is None:
            raise CartInvalid(_("This line is no longer in your cart."))
        method = method or line.method
        store = (store if store is not None else line.store) if method in COLLECT_METHODS else None
        _check_cart_line(line.variant, method, store)
        _check_quantity(quantity)
        twin = (
            CartLine.objects.filter(cart=cart, variant=line.variant, method=method, store=store)
            .exclude(pk=line.pk)
            .first()
        )
        if twin is not None:
            quantity += twin.quantity
            _check_quantity(quantity)
        _check_stock(line.variant, method, store, quantity)
        if twin is not None:
            twin.delete()
        line.quantity, line.method, line.store = quantity, method, store
        line.save(update_fields=["quantity", "method", "store", "updated_at"])
        cart.save(update_fields=["updated_at"])
    return line


def remove_cart_line(*, cart: Cart, line_id: int) -> None:
    """Remove a line; removing one that is already gone is not an error."""
    CartLine.objects.filter(cart=cart, pk=line_id).delete()
    cart.save(update_fields=["updated_at"])


def merge_carts(*, source: Cart, target: Cart) -> Cart:
    """Move a guest cart's lines into the customer's cart at log-in, then delete it. The same
    item served the same way adds up (at most MAX_LINE_QUANTITY); stock is checked on display."""
    if source.pk == target.pk:
        return target
    with transaction.atomic():
        carts = list(Cart.objects.select_for_update().filter(pk__in=[source.pk, target.pk]))
        if len(carts) < 2:
            return target
        existing = {
            (line.variant_id, line.method, line.store_id): line for line in target.lines.all()
        }
        for line in source.lines.all():
            twin = existing.get((line.variant_id, line.method, line.store_id))
            if twin is None:
                line.cart = target
                line.save(update_fields=["cart", "updated_at"])
            else:
                twin.quantity = min(MAX_LINE_QUANTITY, twin.quantity + line.quantity)
                twin.save(update_fields=["quantity", "updated_at"])
        source.delete()
        target.save(update_fields=["updated_at"])
    return target


def join_guest_cart(*, guest: Cart, user) -> Cart:
    """At log-in: the guest cart becomes the customer's cart, or joins the one they have."""
    with transaction.atomic():
        cart = Cart.objects.select_for_update().filter(customer=user).first()
        if cart is None:
            updated = Cart.objects.filter(pk=guest.pk, customer__isnull=True).update(
                customer=user, updated_at=timezone.now()
            )
            if updated:
                guest.refresh_from_db()
                return guest
            cart, _created = Cart.objects.get_or_create(customer=user)
        return merge_carts(source=guest, target=cart)


GUEST_CART_DAYS = 30


def delete_stale_guest_carts(*, now=None) -> int:
    """Delete the guest carts untouched for GUEST_CART_DAYS days (a customer's cart stays with
    their account). Uses the cart_updated_idx index. Returns how many carts went."""
    cutoff = (now or timezone.now()) - timedelta(days=GUEST_CART_DAYS)
    stale = Cart.objects.filter(customer__isnull=True, updated_at__lt=cutoff)
    ids = list(stale.values_list("pk", flat=True)[:5000])  # a bounded batch per run
    _total, by_model = Cart.objects.filter(pk__in=ids).delete()
    return by_model.get(Cart._meta.label, 0)


def clear_cart(*, cart: Cart) -> None:
    CartLine.objects.filter(cart=cart).delete()


def record_pickup_slots(*, order: Order, slots: dict[int, tuple]) -> list[PickupSlot]:
    """Keep the pickup slot chosen for each store of an order ({store_id: (start, end)})."""
    return [
        PickupSlot.objects.update_or_create(
            order=order, store_id=store_id, defaults={"starts_at": start, "ends_at": end}
        )[0]
        for store_id, (start, end) in slots.items()
    ]
