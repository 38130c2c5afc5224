"""Units of an order that will not be served end here: counted on the line, refunded through the
`refund_order` hook (payments, above orders, registers it), told to the customer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import translation
from django.utils.translation import gettext_lazy

from network_marketplace.audit import record_audit_event
from network_marketplace.notifications import send_templated_email
from network_marketplace.webhooks import emit_event

from .. import hooks
from ..models import FulfilmentMethod, Order, OrderLine


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
    refund: Any = None  # the payments.Refund made, None when nothing was paid online


def cancel_order_lines(
    *,
    order: Order,
    quantities: dict[int, int],
    why: str,
    key: str,
    actor: Any,
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
            hooks.refund_order(
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
