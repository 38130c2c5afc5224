"""Reads of withdrawals: what a customer may still withdraw from, part by part and line by line
(the order page's button, the confirmation step, the service's check), and the refunds late
against the 14-day rule (HQ's admin, the store's returns desk).

A line may be withdrawn from when its part is a distance sale whose goods the customer has
(click & collect handed over, a parcel delivered or shipped), its product is not exempt, the
part's period (fulfillment/withdrawal.py) has not ended, and units of it are neither withdrawn
already nor in a return.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Product
from orders.models import FulfilmentMethod, Order
from stores.models import Store

from ..models import Fulfilment, Return, Withdrawal, WithdrawalLine
from ..states import RETURNABLE_STATUSES
from ..withdrawal import PartDeadline
from .returns import ReturnableLine, period_over_text, returnable_lines

S = Fulfilment.Status
# A refund may wait for the goods (art. 13(3)): it is late once they are back and the due
# date passed without it.
GOODS_BACK_STATUSES = [Return.Status.RECEIVED, Return.Status.INSPECTED]


@dataclass(frozen=True)
class WithdrawableLine:
    """One fulfilment line, with what may still be withdrawn from it and why not."""

    line: ReturnableLine
    withdrawn_quantity: int
    refusal: str

    @property
    def fulfilment_line(self):
        return self.line.fulfilment_line

    @property
    def order_line(self):
        return self.line.order_line

    @property
    def period(self) -> PartDeadline:
        return self.line.period

    @property
    def quantity(self) -> int:
        """Units that may still be withdrawn from."""
        if self.refusal:
            return 0
        left = self.line.received_quantity - max(
            self.line.returning_quantity, self.withdrawn_quantity
        )
        return max(left, 0)


def withdrawn_quantities(fulfilment_line_ids: Iterable[int]) -> dict[int, int]:
    rows = (
        WithdrawalLine.objects.filter(fulfilment_line_id__in=list(fulfilment_line_ids))
        .values("fulfilment_line_id")
        .annotate(units=Sum("quantity"))
    )
    return {row["fulfilment_line_id"]: row["units"] for row in rows}


def exemption_text(product: Product) -> str:
    ground = product.get_withdrawal_exemption_display() if product.withdrawal_exemption else ""
    if ground:
        return _("No right of withdrawal for this product: %(ground)s.") % {
            "ground": ground.lower()
        }
    return _("No right of withdrawal for this product.")


def withdrawable_lines(order: Order, *, now: datetime | None = None) -> list[WithdrawableLine]:
    """Every fulfilment line of `order` with the units that may still be withdrawn from, and
    why none may. Five queries."""
    now = now or timezone.now()
    lines = returnable_lines(order, now=now)
    withdrawn = withdrawn_quantities(line.fulfilment_line.pk for line in lines)
    result = []
    for line in lines:
        fulfilment = line.fulfilment_line.fulfilment
        already = withdrawn.get(line.fulfilment_line.pk, 0)
        if fulfilment.method == FulfilmentMethod.RESERVE_COLLECT:
            refusal = _(
                "Reserved and paid in store: it is not a distance sale, so there is no right "
                "of withdrawal."
            )
        elif line.exempt:
            refusal = exemption_text(line.order_line.variant.product)
        elif fulfilment.status not in RETURNABLE_STATUSES:
            refusal = _("Not received yet: you can withdraw once you have it.")
        elif line.period.expired_at(now):
            refusal = period_over_text(line.period)
        elif max(already, line.returning_quantity) >= line.received_quantity:
            refusal = _("Already withdrawn.") if already else _("Already being returned.")
        else:
            refusal = ""
        result.append(WithdrawableLine(line=line, withdrawn_quantity=already, refusal=refusal))
    return result


def withdrawals_of_order(order: Order) -> QuerySet[Withdrawal]:
    return (
        Withdrawal.objects.filter(order=order)
        .select_related("return_request")
        .prefetch_related("lines__order_line")
        .order_by("-declared_at", "-pk")
    )


def late_refunds(
    *, now: datetime | None = None, store: Store | None = None
) -> QuerySet[Withdrawal]:
    """Withdrawals whose refund is late: the goods are back (or being inspected), the 14 days
    since the withdrawal are over, and the return is not refunded. `store`: those it must
    refund (it received the goods) or whose sale is its own."""
    now = now or timezone.now()
    queryset = Withdrawal.objects.filter(
        refund_due_at__lt=now, return_request__status__in=GOODS_BACK_STATUSES
    )
    if store is not None:
        queryset = queryset.filter(
            Q(return_request__store=store) | Q(lines__seller_store=store)
        ).distinct()
    return queryset.select_related("order", "return_request__store").order_by("refund_due_at")


def is_refund_late(withdrawal: Withdrawal, *, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return (
        withdrawal.refund_due_at < now and withdrawal.return_request.status in GOODS_BACK_STATUSES
    )


def was_refunded_late(withdrawal: Withdrawal) -> bool:
    refunded_at = withdrawal.return_request.refunded_at
    return refunded_at is not None and refunded_at > withdrawal.refund_due_at


def late_return_ids(return_ids: Iterable[int], *, now: datetime | None = None) -> set[int]:
    """Of these returns, those opened by a withdrawal whose refund is late (one query)."""
    now = now or timezone.now()
    return set(
        Withdrawal.objects.filter(
            return_request_id__in=list(return_ids),
            refund_due_at__lt=now,
            return_request__status__in=GOODS_BACK_STATUSES,
        ).values_list("return_request_id", flat=True)
    )
