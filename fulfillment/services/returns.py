"""Returns: a customer (or a store's desk, for a walk-in customer) starts a return of what was
received; any store that accepts returns (or the warehouse, by post) receives it, inspects each
line, puts resalable units back into its own stock, and refunds the customer through payments
(fulfillment/hooks.py). The sale reversed is the seller store's, kept on each ReturnLine.

Every status change goes through the return's lifecycle (fulfillment/states.py,
RETURN_LIFECYCLE): the row locked, the move checked, the ReturnEvent (with the store that acted)
and the audit row written. The webhooks and e-mails of each step follow in its transaction.
Lock order: the order's row (when a return is requested), the return's, then stock rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.money import format_cents
from network_marketplace.audit import actor_label, record_audit_event
from network_marketplace.errors import DomainError
from network_marketplace.models import User
from network_marketplace.notifications import send_templated_email
from network_marketplace.transitions import transition
from network_marketplace.webhooks import emit_event
from orders.models import Order
from stores.models import StockMovement, Store
from stores.services import adjust_on_hand

from .. import hooks
from ..models import FulfilmentLine, Return, ReturnEvent, ReturnLine
from ..selectors import return_warehouse, returnable_lines
from ..states import COUNTED_RETURN_STATUSES, RETURN_LIFECYCLE, check_return_transition

R = Return.Status


class ReturnInvalid(DomainError):
    """The return can't be made as asked."""

    code = "return_invalid"
    http_status = 400


class NotThisStoresReturn(DomainError):
    """This return is handled by another location."""

    code = "not_this_stores_return"
    http_status = 409


@dataclass(frozen=True)
class ReturnRequestLine:
    fulfilment_line: FulfilmentLine
    quantity: int


@dataclass(frozen=True)
class LineInspection:
    line: ReturnLine
    condition: str
    restock: bool
    refund_cents: int


def _move_return(
    return_request: Return,
    target: str,
    *,
    actor: Any,
    store: Store | None = None,
    reason: str = "",
    **changes: Any,
) -> tuple[Return, bool]:
    """Apply one move of a return, the acting `store` on its event; returns (return, moved).
    Call inside a transaction."""
    result = transition(
        RETURN_LIFECYCLE,
        return_request,
        target,
        actor=actor,
        reason=reason,
        changes=changes,
        event_fields={"store": store},
    )
    return result.row, result.moved


def return_event_data(return_request: Return) -> dict[str, Any]:
    """What a webhook says of a return: the receiving location, and each line with the seller
    store whose sale it reverses and the amount refunded for it."""
    return {
        "return": return_request.number,
        "order": return_request.order.number,
        "status": return_request.status,
        "method": return_request.method,
        "receiving_store": return_request.store.slug,
        "refunded_cents": return_request.refunded_cents,
        "shipping_refund_cents": return_request.shipping_refund_cents,
        "lines": [
            {
                "sku": line.order_line.sku,
                "quantity": line.quantity,
                "seller_store": line.seller_store.slug,
                "condition": line.condition,
                "restocked_quantity": line.restocked_quantity,
                "refund_cents": line.refund_cents,
            }
            for line in return_request.lines.select_related("order_line", "seller_store")
        ],
    }


def _emit_return_event(return_request: Return, event_type: str) -> None:
    """To the receiving location and to every seller store of the return (and HQ, once)."""
    data = return_event_data(return_request)
    sellers = {line.seller_store_id for line in return_request.lines.all()}
    store_ids = [return_request.store_id, *sorted(sellers - {return_request.store_id})]
    for store_id in store_ids:
        emit_event(
            event_type=event_type,
            store_id=store_id,
            event_id=f"{event_type}:{return_request.pk}",
            data=data,
        )


def _return_email_context(return_request: Return) -> dict[str, Any]:
    store = return_request.store
    return {
        "number": return_request.number,
        "order_number": return_request.order.number,
        "first_name": return_request.order.first_name,
        "method": return_request.method,
        "store_name": store.name,
        "store_address": f"{store.address_line}, {store.postal_code} {store.city}",
        "lines": [
            {
                "name": line.order_line.product_name,
                "sku": line.order_line.sku,
                "quantity": line.quantity,
                "refund_cents": line.refund_cents,
            }
            for line in return_request.lines.select_related("order_line")
        ],
        "refund_cents": return_request.refund_total_cents,
    }


def _check_receiving_store(store: Store | None) -> None:
    if store is None or store.status != Store.Status.ACTIVE or not store.accepts_returns:
        raise ReturnInvalid(
            _("This store does not take returns: choose another one."),
            store=_("This store does not take returns."),
        )


def request_return(
    *,
    order: Order,
    lines: list[ReturnRequestLine],
    reason: str,
    method: str,
    actor: Any,
    store: Store | None = None,
    comment: str = "",
    now: datetime | None = None,
    instructions: bool = True,
    withdrawal: bool = False,
) -> Return:
    """Start a return of received units of `order`, to be brought to `store` (any active store
    that accepts returns) or sent by post to the warehouse. The customer gets the instructions
    by e-mail (not when `instructions` is False: the items are already at the desk).

    Each quantity must be at most what was received of its line, within the withdrawal period,
    minus what is already being returned: the order row is locked, so two concurrent requests
    can't return the same units twice. Lines are priced at what was paid for them; the
    inspection may lower that.
    """
    errors = {}
    if reason not in Return.Reason.values or (reason == Return.Reason.WITHDRAWAL) != withdrawal:
        # "Withdrawal" is the reason of the returns the withdrawal button opens, and only theirs.
        errors["reason"] = _("Choose a reason.")
    if method not in Return.Method.values:
        errors["method"] = _("Choose how you return the items.")
    elif method == Return.Method.POST:
        store = return_warehouse()
        if store is None:
            errors["method"] = _(
                "Returns by post are not possible at the moment: bring it to a store."
            )
    elif store is None:
        errors["store"] = _("Choose the store you will bring it to.")
    # One line per fulfilment line: the same one named twice adds up.
    quantities: dict[int, int] = {}
    by_id = {}
    for line in lines:
        quantities[line.fulfilment_line.pk] = quantities.get(line.fulfilment_line.pk, 0) + (
            line.quantity
        )
        by_id[line.fulfilment_line.pk] = line.fulfilment_line
    lines = [
        ReturnRequestLine(by_id[pk], quantity) for pk, quantity in quantities.items() if quantity
    ]
    if not lines:
        errors["lines"] = _("Choose at least one item to return.")
    if any(line.quantity < 0 for line in lines):
        errors["lines"] = _("A quantity can't be negative.")
    if errors:
        raise ReturnInvalid(_("The return is incomplete."), **errors)
    _check_receiving_store(store)
    with transaction.atomic():
        Order.objects.select_for_update().get(pk=order.pk)
        returnable = {line.fulfilment_line.pk: line for line in returnable_lines(order, now=now)}
        for line in lines:
            allowed = returnable.get(line.fulfilment_line.pk)
            if allowed is None:
                raise ReturnInvalid(
                    _("This item is not part of the order."), lines=_("Unknown item.")
                )
            if line.quantity > allowed.returnable_quantity:
                message = allowed.refusal or _(
                    "Only %(count)s of %(sku)s can still be returned."
                ) % {"count": allowed.returnable_quantity, "sku": allowed.order_line.sku}
                raise ReturnInvalid(
                    message,
                    lines=message,
                    sku=allowed.order_line.sku,
                    returnable=allowed.returnable_quantity,
                )
        return_request = Return.objects.create(
            order=order,
            method=method,
            store=store,
            reason=reason,
            comment=comment.strip()[:500],
            created_by=actor if isinstance(actor, User) else getattr(actor, "audit_user", None),
            created_by_label=actor_label(actor),
        )
        for line in sorted(lines, key=lambda each: each.fulfilment_line.pk):
            fulfilment_line = returnable[line.fulfilment_line.pk].fulfilment_line
            ReturnLine.objects.create(
                return_request=return_request,
                order_line=fulfilment_line.order_line,
                fulfilment_line=fulfilment_line,
                seller_store=fulfilment_line.fulfilment.store,
                quantity=line.quantity,
                refund_cents=fulfilment_line.order_line.unit_price_cents * line.quantity,
            )
        ReturnEvent.objects.create(
            return_request=return_request,
            to_status=R.REQUESTED,
            store=store,
            actor_label=actor_label(actor),
            reason=return_request.get_reason_display(),
        )
        record_audit_event(
            actor=actor,
            action="return.requested",
            target=return_request,
            store_id=store.pk,
            data={
                "order": order.pk,
                "method": method,
                "lines": [[line.fulfilment_line.pk, line.quantity] for line in lines],
            },
        )
        _emit_return_event(return_request, "return.created")
        if instructions:
            send_templated_email(
                to=order.email,
                template="return_requested",
                language=order.language,
                dedupe_key=f"return-requested:{return_request.pk}",
                context=_return_email_context(return_request),
                inline_qr={"return_qr": "number"},
            )
    return return_request


def take_back_at_desk(
    *,
    order: Order,
    lines: list[ReturnRequestLine],
    reason: str,
    store: Store,
    actor: Any,
    comment: str = "",
) -> Return:
    """A walk-in customer hands items of an online order over at `store`'s desk without having
    started a return: the return is made and received there, in one transaction, under the same
    rules (period, quantities). The customer gets the "received" e-mail only."""
    with transaction.atomic():
        made = request_return(
            order=order,
            lines=lines,
            reason=reason,
            method=Return.Method.IN_STORE,
            store=store,
            actor=actor,
            comment=comment,
            instructions=False,
        )
        return receive_return(return_request=made, store=store, actor=actor)


def receive_return(*, return_request: Return, store: Store, actor: Any) -> Return:
    """`store` has the goods in hand. A customer may bring a return to another store than the
    one chosen: the store that receives it handles it from now on."""
    _check_receiving_store(store)
    with transaction.atomic():
        return_request, moved = _move_return(
            return_request,
            R.RECEIVED,
            actor=actor,
            store=store,
            store_id=store.pk,
            received_at=timezone.now(),
        )
        if not moved and return_request.store_id != store.pk:
            raise NotThisStoresReturn(_("This return was received by another store."))
        if moved:
            _emit_return_event(return_request, "return.received")
            send_templated_email(
                to=return_request.order.email,
                template="return_received",
                language=return_request.order.language,
                dedupe_key=f"return-received:{return_request.pk}",
                context=_return_email_context(return_request),
            )
    return return_request


def _check_handled_by(return_request: Return, store: Store) -> None:
    if return_request.store_id != store.pk:
        raise NotThisStoresReturn(
            _("This return is handled by %(store)s.") % {"store": return_request.store.name}
        )


def _shipping_refund_cents(return_request: Return) -> int:
    """The delivery fee, when this return brings the order's last units back and no earlier
    return refunded it."""
    order = return_request.order
    if not order.shipping_cents:
        return 0
    counted = Return.objects.filter(order=order, status__in=COUNTED_RETURN_STATUSES)
    if counted.exclude(pk=return_request.pk).filter(shipping_refund_cents__gt=0).exists():
        return 0
    returned = (
        ReturnLine.objects.filter(return_request__in=counted).aggregate(units=Sum("quantity"))[
            "units"
        ]
        or 0
    )
    bought = sum(line.quantity - line.cancelled_quantity for line in order.lines.all())
    return order.shipping_cents if returned >= bought else 0


def inspect_return(
    *,
    return_request: Return,
    store: Store,
    inspections: list[LineInspection],
    actor: Any,
    source: str = StockMovement.Source.BACKOFFICE,
) -> Return:
    """The receiving store checks each line: resalable units it chooses to restock go back into
    its own stock (a `return` movement each), damaged ones don't; the refund of each line is at
    most what was paid for it (lower it for a partial refund). Every line must be inspected."""
    with transaction.atomic():
        locked = (
            Return.objects.select_for_update()
            .select_related("store", "order")
            .get(pk=return_request.pk)
        )
        if locked.status == R.INSPECTED:
            return locked
        check_return_transition(locked.status, R.INSPECTED)
        _check_handled_by(locked, store)
        lines = {line.pk: line for line in locked.lines.select_related("order_line__variant")}
        given = {inspection.line.pk: inspection for inspection in inspections}
        errors = {}
        if set(given) != set(lines):
            errors["lines"] = _("Inspect every line of the return.")
        for line_id, inspection in given.items():
            line = lines.get(line_id)
            if line is None:
                continue
            if inspection.condition not in {
                ReturnLine.Condition.RESALABLE,
                ReturnLine.Condition.DAMAGED,
            }:
                errors[f"line_{line_id}"] = _("Say whether it is resalable or damaged.")
            elif inspection.restock and inspection.condition != ReturnLine.Condition.RESALABLE:
                errors[f"line_{line_id}"] = _("A damaged item can't go back into stock.")
            elif not 0 <= inspection.refund_cents <= line.max_refund_cents:
                errors[f"line_{line_id}"] = _(
                    "The refund of %(sku)s must be between 0 and %(max)s."
                ) % {"sku": line.order_line.sku, "max": format_cents(line.max_refund_cents)}
        if errors:
            raise ReturnInvalid(next(iter(errors.values())), **errors)
        for line_id in sorted(lines):
            line, inspection = lines[line_id], given[line_id]
            line.condition = inspection.condition
            line.refund_cents = inspection.refund_cents
            line.restocked_quantity = line.quantity if inspection.restock else 0
            line.save(update_fields=["condition", "refund_cents", "restocked_quantity"])
        # Stock rows are locked in (store, variant) order, like every other writer of stock.
        for line in sorted(lines.values(), key=lambda each: each.order_line.variant_id):
            if line.restocked_quantity:
                adjust_on_hand(
                    store=store,
                    variant=line.order_line.variant,
                    delta=line.restocked_quantity,
                    reason=StockMovement.Reason.RETURN,
                    source=source,
                    actor=actor,
                    reference=locked.number,
                )
        hooks.settle_return(return_request=locked, actor=actor)
        locked, _moved = _move_return(
            locked,
            R.INSPECTED,
            actor=actor,
            store=store,
            inspected_at=timezone.now(),
            shipping_refund_cents=_shipping_refund_cents(locked),
        )
    return locked


def refund_return(*, return_request: Return, store: Store, actor: Any) -> Return:
    """Give the customer back what the inspection decided, through the order's payment (the
    payments app sends the refund e-mail). Idempotent: the provider call carries the key
    `return:<id>`, and a refunded return is returned unchanged. When nothing was paid online
    (or nothing is due), no payment refund is made and the customer is told by e-mail."""
    with transaction.atomic():
        locked = (
            Return.objects.select_for_update()
            .select_related("store", "order")
            .get(pk=return_request.pk)
        )
        if locked.status == R.REFUNDED:
            return locked
        check_return_transition(locked.status, R.REFUNDED)
        _check_handled_by(locked, store)
        amount = locked.refund_total_cents
        refund = None
        if amount > 0:
            refund = hooks.refund_payment(
                order=locked.order,
                amount_cents=amount,
                reason=_("Return %(number)s") % {"number": locked.number},
                idempotency_key=f"return:{locked.pk}",
                actor=actor,
            )
            hooks.reverse_return_sales(return_request=locked, refund=refund, actor=actor)
        refunded = refund.amount_cents if refund is not None else 0
        locked, _moved = _move_return(
            locked,
            R.REFUNDED,
            actor=actor,
            store=store,
            refunded_at=timezone.now(),
            refunded_cents=refunded,
        )
        _emit_return_event(locked, "return.refunded")
        if refund is None:
            send_templated_email(
                to=locked.order.email,
                template="return_closed",
                language=locked.order.language,
                dedupe_key=f"return-closed:{locked.pk}",
                context={
                    **_return_email_context(locked),
                    "refund_cents": amount,
                    "paid_online": locked.order.online_payment_cents > 0,
                },
            )
    return locked


def cancel_return(*, return_request: Return, actor: Any, reason: str = "") -> Return:
    """The customer (or the store, or HQ) calls off a return before the goods are received:
    its units may be returned again."""
    with transaction.atomic():
        return_request, _moved = _move_return(
            return_request, R.CANCELLED, actor=actor, reason=reason, cancelled_at=timezone.now()
        )
    return return_request


# A return announced online but never brought back stops counting after this many days.
RETURN_BRING_BACK_DAYS = 30


def expire_unreturned_returns(*, now: datetime | None = None) -> int:
    """Returns still awaited RETURN_BRING_BACK_DAYS after they were started are cancelled, so
    that their units no longer count as being returned and the desks' lists stay true; the
    customer is told (and may start a new return while the withdrawal period runs). Each return
    in its own short transaction, skipping one a desk is receiving; safe to repeat."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=RETURN_BRING_BACK_DAYS)
    expired = 0
    due = Return.objects.filter(status=R.REQUESTED, created_at__lt=cutoff).order_by("created_at")
    for pk in list(due.values_list("pk", flat=True)[:500]):
        with transaction.atomic():
            locked = (
                Return.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status=R.REQUESTED)
                .select_related("order")
                .first()
            )
            if locked is None:
                continue
            locked = cancel_return(
                return_request=locked,
                actor="system:return-expiry",
                reason=_("Not brought back within %(days)s days.")
                % {"days": RETURN_BRING_BACK_DAYS},
            )
            send_templated_email(
                to=locked.order.email,
                template="return_expired",
                language=locked.order.language,
                dedupe_key=f"return-expired:{locked.pk}",
                context={**_return_email_context(locked), "days": RETURN_BRING_BACK_DAYS},
            )
        expired += 1
    return expired
