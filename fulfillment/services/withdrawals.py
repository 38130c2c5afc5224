"""The withdrawal button (Directive 2023/2673): a customer withdraws from units of her order
that are still within their withdrawal period; the withdrawal is recorded (time, lines,
channel), acknowledged on a durable medium (an e-mail with a PDF giving the date and time),
and the goods come back through the returns flow (any store, or by post) with "withdrawal" as
the return's reason. The refund is due within 14 days (fulfillment/withdrawal.py).

Refused, with nothing changed: after the period, on an exempt product, on reserve & collect
(not a distance sale), on goods not received yet, and twice for the same units. The order's row
is locked first, so two withdrawals at once can't take the same units.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from network_marketplace.audit import actor_label, record_audit_event
from network_marketplace.errors import DomainError
from network_marketplace.models import User
from network_marketplace.notifications import send_templated_email
from orders.models import Order
from stores.models import Store

from ..models import Return, Withdrawal, WithdrawalLine
from ..selectors.withdrawals import withdrawable_lines
from ..withdrawal import refund_due_at
from ..withdrawal_pdf import acknowledgement_pdf, moment
from .returns import ReturnRequestLine, request_return


class WithdrawalRefused(DomainError):
    """The withdrawal can't be made as asked."""

    code = "withdrawal_refused"
    http_status = 400


def withdraw(
    *,
    order: Order,
    lines: list[ReturnRequestLine],
    method: str,
    actor: Any,
    store: Store | None = None,
    reason: str = "",
    channel: str = Withdrawal.Channel.WEB,
    now: datetime | None = None,
) -> Withdrawal:
    """Withdraw from `lines` of `order`: each quantity at most what may still be withdrawn
    from (selectors.withdrawable_lines), at `now` (default: the present moment). Opens the
    return (to `store`, or by post) and queues the acknowledgement e-mail with its PDF."""
    quantities: dict[int, int] = {}
    by_id = {}
    for line in lines:
        if line.quantity < 0:
            raise WithdrawalRefused(
                _("A quantity can't be negative."), lines=_("A quantity can't be negative.")
            )
        pk = line.fulfilment_line.pk
        quantities[pk] = quantities.get(pk, 0) + line.quantity
        by_id[pk] = line.fulfilment_line
    wanted = {pk: quantity for pk, quantity in quantities.items() if quantity}
    if not wanted:
        raise WithdrawalRefused(
            _("Choose at least one item to withdraw from."),
            lines=_("Choose at least one item to withdraw from."),
        )
    if channel not in Withdrawal.Channel.values:
        raise WithdrawalRefused(_("Unknown channel."), channel=_("Unknown channel."))
    with transaction.atomic():
        Order.objects.select_for_update().get(pk=order.pk)
        now = now or timezone.now()
        allowed = {line.fulfilment_line.pk: line for line in withdrawable_lines(order, now=now)}
        for pk, quantity in sorted(wanted.items()):
            line = allowed.get(pk)
            if line is None:
                raise WithdrawalRefused(
                    _("This item is not part of the order."), lines=_("Unknown item.")
                )
            if quantity > line.quantity:
                message = line.refusal or ngettext(
                    "Only %(count)s unit of %(sku)s can still be withdrawn from.",
                    "Only %(count)s units of %(sku)s can still be withdrawn from.",
                    line.quantity,
                ) % {"count": line.quantity, "sku": line.order_line.sku}
                raise WithdrawalRefused(
                    message, lines=message, sku=line.order_line.sku, withdrawable=line.quantity
                )
        return_request = request_return(
            order=order,
            lines=[ReturnRequestLine(by_id[pk], quantity) for pk, quantity in wanted.items()],
            reason=Return.Reason.WITHDRAWAL,
            method=method,
            store=store,
            comment=reason,
            actor=actor,
            now=now,
            withdrawal=True,
        )
        withdrawal = Withdrawal.objects.create(
            order=order,
            return_request=return_request,
            declared_at=now,
            channel=channel,
            reason=reason.strip()[:500],
            refund_due_at=refund_due_at(now),
            created_by=actor if isinstance(actor, User) else getattr(actor, "audit_user", None),
            created_by_label=actor_label(actor),
        )
        WithdrawalLine.objects.bulk_create(
            [
                WithdrawalLine(
                    withdrawal=withdrawal,
                    fulfilment_line=allowed[pk].fulfilment_line,
                    order_line=allowed[pk].order_line,
                    seller_store=allowed[pk].fulfilment_line.fulfilment.store,
                    quantity=quantity,
                    period_ends_at=allowed[pk].period.ends_at,
                )
                for pk, quantity in sorted(wanted.items())
            ]
        )
        record_audit_event(
            actor=actor,
            action="withdrawal.made",
            target=withdrawal,
            store_id=return_request.store_id,
            data={
                "order": order.pk,
                "return": return_request.pk,
                "channel": channel,
                "declared_at": now.isoformat(),
                "lines": [[pk, quantity] for pk, quantity in sorted(wanted.items())],
            },
        )
        send_acknowledgement(withdrawal)
    return withdrawal


def acknowledgement_filename(withdrawal: Withdrawal) -> str:
    return f"retractation-{withdrawal.reference}.pdf"


def send_acknowledgement(withdrawal: Withdrawal) -> None:
    """The acknowledgement on a durable medium: the e-mail, with the PDF made now."""
    order = withdrawal.order
    with override(order.language or "fr"):
        pdf = acknowledgement_pdf(withdrawal)
        declared = moment(withdrawal.declared_at)
        due = date_format(timezone.localtime(withdrawal.refund_due_at).date(), "SHORT_DATE_FORMAT")
    send_templated_email(
        to=order.email,
        template="withdrawal_acknowledgement",
        language=order.language,
        dedupe_key=f"withdrawal-acknowledged:{withdrawal.pk}",
        context={
            "reference": withdrawal.reference,
            "order_number": order.number,
            "first_name": order.first_name,
            "declared_at": declared,
            "refund_due": due,
            "return_number": withdrawal.return_request.number,
            "lines": [
                {"name": line.order_line.product_name, "quantity": line.quantity}
                for line in withdrawal.lines.select_related("order_line").order_by("pk")
            ],
        },
        attachments=[(acknowledgement_filename(withdrawal), pdf, "application/pdf")],
    )
