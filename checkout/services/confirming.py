"""After the payment step: place the order (its holds made firm, the stores' deadlines started,
everyone told), or give it up (holds back, fulfilments void, the money refunded), and the
sweeper for checkouts that never finished.

Every status change of the order goes through `transition(ORDER_LIFECYCLE, ...)`.
"""

from __future__ import annotations

import copy
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fulfillment.models import Fulfilment
from fulfillment.services import start_acceptance_clocks, void_unpaid_fulfilments
from network_marketplace.audit import audit_batch
from network_marketplace.db import hand_over_related
from network_marketplace.notifications import send_templated_email
from network_marketplace.transitions import transition
from network_marketplace.webhooks import WebhookEvent, emit_events
from orders.methods import COLLECT_METHODS
from orders.models import (
    FulfilmentMethod,
    Order,
    OrderEvent,
    OrderLine,
    OrderPolicy,
    fulfilment_holder,
)
from orders.selectors import slot_label
from orders.services import acceptance_deadline
from orders.states import ORDER_LIFECYCLE
from payments.models import Payment
from payments.providers import ProviderUnavailable
from payments.services import (
    PENDING_CHARGE_PATIENCE,
    paid_online_cents,
    refund_payment,
    settle_pending_payment,
)
from stores.models import Reservation
from stores.services import (
    InsufficientStock,
    ReservationExpired,
    convert_reservations,
    release_holder,
    reserve_lines,
)

from ..errors import NoLongerAvailable


class _StockGone(Exception):
    """Inside confirm_order: a hold could not be made firm; its transaction rolls back."""


@dataclass(frozen=True)
class WrittenCheckout:
    """What place_order wrote moments before confirming, in hand: confirm_order reads none of
    it again (the conversion's UPDATE still checks that each hold counts), and the order it
    returns carries its details for the answer (see `details_in_hand`)."""

    lines: list[OrderLine]  # in primary key order, with their chosen stores
    fulfilments: list[Fulfilment]  # with their stores and lines (open_fulfilments)
    first_event: OrderEvent
    policy: OrderPolicy  # HQ's order policy, as the checkout read it moments before
    holds: dict[int, list[Reservation]]  # the checkout holds, by fulfilment id
    slots_recorded: bool


def confirm_order(*, order: Order, actor: Any, written: WrittenCheckout | None = None) -> Order:
    """The payment went through: the checkout holds become the order's, the stores' deadlines
    start, and everyone is told. Idempotent. If a hold expired meanwhile (a payment slower than
    the checkout hold) the stock is taken again; when it is gone, the order is cancelled, the
    payment refunded, and NoLongerAvailable raised. `written`: place_order's objects in hand."""
    policy = written.policy if written is not None else OrderPolicy.current()
    now = timezone.now()
    try:
        with transaction.atomic(), audit_batch():
            order = Order.objects.select_for_update().get(pk=order.pk)
            if order.status != Order.Status.PENDING_PAYMENT:
                return order
            fulfilments = start_acceptance_clocks(
                order=order,
                deadline_for=lambda store: acceptance_deadline(store, policy, start=now),
                in_hand=written.fulfilments if written is not None else None,
            )
            order_lines = (
                written.lines
                if written is not None
                else list(order.lines.select_related("chosen_store").order_by("pk"))
            )
            order, placed_event = _announce_placed(
                order, fulfilments, order_lines, now, actor, written
            )
            # Stock last: its rows stay locked only until this transaction commits.
            try:
                for fulfilment in fulfilments:
                    holds = written.holds.get(fulfilment.pk) if written is not None else None
                    _firm_up_holds(fulfilment, policy, actor, holds)
            except (ReservationExpired, InsufficientStock) as gone:
                raise _StockGone(gone.facts.get("sku") or "") from gone
            if written is not None:
                _keep_details(order, order_lines, fulfilments, [written.first_event, placed_event])
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


@dataclass(frozen=True)
class PlacedDetails:
    """What fulfillment.order_selectors' `with_order_details` reads, from the objects a
    confirmation holds: the order API answers a checkout with them, reading nothing again."""

    lines: list[OrderLine]
    fulfilments: list[Fulfilment]
    events: list[OrderEvent]


def _keep_details(
    order: Order,
    lines: list[OrderLine],
    fulfilments: list[Fulfilment],
    events: list[OrderEvent],
) -> None:
    order.placed_details = PlacedDetails(  # type: ignore[attr-defined]
        lines=lines,
        fulfilments=sorted(fulfilments, key=lambda fulfilment: fulfilment.pk),
        events=events,
    )


def details_in_hand(order: Order) -> Order | None:
    """A copy of `order`, just placed by place_order, with its details as `with_order_details`
    gives them (lines, fulfilments with their lines and events, the order's events), from the
    objects in hand; None when it has none (an order awaiting payment). A fulfilment just
    opened has no event yet: its first comes with its first move. Use it at once: the copy
    does not follow later changes."""
    details = getattr(order, "placed_details", None)
    if details is None:
        return None
    answer = copy.copy(order)
    answer._prefetched_objects_cache = {}
    for fulfilment in details.fulfilments:
        hand_over_related(
            fulfilment, "lines", sorted(fulfilment.lines.all(), key=lambda line: line.pk)
        )
        hand_over_related(fulfilment, "events", [])
    hand_over_related(answer, "lines", details.lines)
    hand_over_related(answer, "fulfilments", details.fulfilments)
    hand_over_related(answer, "events", details.events)
    return answer


def _firm_up_holds(
    fulfilment: Fulfilment,
    policy: OrderPolicy,
    actor: Any,
    holds_in_hand: list[Reservation] | None = None,
) -> None:
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
    holds = (
        holds_in_hand
        if holds_in_hand is not None
        else list(
            Reservation.objects.filter(holder=holder, kind=Reservation.Kind.CHECKOUT).holding_at(
                timezone.now()
            )
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


def _announce_placed(
    order: Order,
    fulfilments: list[Fulfilment],
    order_lines: list[OrderLine],
    now: datetime,
    actor: Any,
    written: WrittenCheckout | None,
) -> tuple[Order, OrderEvent]:
    """PENDING_PAYMENT -> PLACED (event, audit row with the routing), then the order.created and
    fulfillment.created webhooks and the confirmation e-mail. Returns the order and its event."""
    moved = transition(
        ORDER_LIFECYCLE,
        order,
        Order.Status.PLACED,
        actor=actor,
        changes={"placed_at": now},
        audit_data={"routing": order.routing_log[-1]["result"]},
        locked=True,  # confirm_order's
    )
    order = moved.row
    emit_events(
        [
            WebhookEvent(
                event_type="order.created",
                store_id=order.attributed_store_id,
                event_id=f"order.created:{order.pk}",
                data={
                    "order": order.number,
                    "total_cents": order.total_cents,
                    "fulfilments": [f.pk for f in fulfilments],
                },
            ),
            *(
                WebhookEvent(
                    event_type="fulfillment.created",
                    store_id=fulfilment.store_id,
                    event_id=f"fulfillment.created:{fulfilment.pk}",
                    data={
                        "fulfilment": fulfilment.pk,
                        "order": order.number,
                        "method": fulfilment.method,
                    },
                )
                for fulfilment in fulfilments
            ),
        ]
    )
    transfers = _transfer_promises(order, fulfilments, order_lines)
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
                for line in order_lines
            ],
            "pickup_slots": (
                _pickup_slots(order, fulfilments)
                if written is None or written.slots_recorded
                else []
            ),
        },
    )
    return order, moved.event


def _pickup_slots(order: Order, fulfilments: list[Fulfilment]) -> list[dict]:
    """The pickup times the customer chose, per store, in the order's language (the e-mail's
    context is JSON, rendered later)."""
    collect_stores = {
        f.pickup_store_id or f.store_id: f for f in fulfilments if f.method in COLLECT_METHODS
    }
    found = []
    for slot in order.pickup_slots.select_related("store").order_by("starts_at"):
        if slot.store_id in collect_stores:
            with translation.override(order.language):
                found.append(
                    {"store": slot.store.name, "slot": slot_label(slot.starts_at, slot.ends_at)}
                )
    return found


def _transfer_promises(
    order: Order, fulfilments: list[Fulfilment], order_lines: list[OrderLine]
) -> dict[int, dict]:
    """{order line id: the pickup store and the days} of the lines another store sends to the
    customer's chosen store: the confirmation e-mail states that longer promise."""
    decisions = order.routing_log[-1]["result"]["lines"]
    days_of = {decision["line"]: decision.get("delay_days") for decision in decisions}
    index_of = {line.pk: index for index, line in enumerate(order_lines)}
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


def abandon_checkout(*, order: Order, actor: Any, reason: str) -> Order:
    """An order that will not be placed (payment declined or never completed, stock gone): its
    holds go back at once, its fulfilments are void, it ends cancelled, and whatever was
    charged is refunded. Idempotent."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.status != Order.Status.PENDING_PAYMENT:
            return order
        void_unpaid_fulfilments(order=order, actor=actor, reason=reason)
        order = transition(
            ORDER_LIFECYCLE, order, Order.Status.CANCELLED, actor=actor, reason=reason, locked=True
        ).row
        refund_payment(
            order=order,
            amount_cents=paid_online_cents(order),
            reason=reason,
            idempotency_key=f"order:{order.pk}:abandoned",
            actor=actor,
        )
    return order


def settle_abandoned_checkouts(*, now: datetime | None = None) -> int:
    """The sweeper for checkouts that never finished (the process died during the payment, or
    the customer left a provider's page): past their checkout hold, a payment still pending is
    first asked of the provider (and settled by its answer; one pending for longer than
    PENDING_CHARGE_PATIENCE is given up); an order that was paid is placed if its stock can
    still be held, else cancelled and refunded; an unpaid one is cancelled. Returns how many
    orders it settled. Safe to run concurrently and to repeat."""
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


def finish_order_payment(*, payment: Payment, actor: Any) -> None:
    """Bring the order in line with its settled payment (payments calls it through its
    `order_payment_settled` hook: the provider's webhook, the sweeper, "check again")."""
    order = Order.objects.get(pk=payment.order_id)
    if payment.status == Payment.Status.SUCCEEDED:
        if order.status == Order.Status.PENDING_PAYMENT:
            with suppress(NoLongerAvailable):  # then cancelled and refunded by confirm_order
                confirm_order(order=order, actor=actor)
        elif order.status == Order.Status.CANCELLED:
            # Paid after its checkout was given up: give the money back (once, same key).
            refund_payment(
                order=order,
                amount_cents=paid_online_cents(order),
                reason=_("The payment went through after the order was cancelled."),
                idempotency_key=f"order:{order.pk}:abandoned",
                actor=actor,
            )
    elif payment.status == Payment.Status.FAILED and order.status == Order.Status.PENDING_PAYMENT:
        abandon_checkout(order=order, actor=actor, reason=_("The payment was declined."))
