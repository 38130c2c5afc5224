"""How a marketing order follows its lines (supplier's progress, then the store's receipt):
one line in production puts the order in production; every live line shipped, the order is
shipped; every live line received, it is received."""

from __future__ import annotations

from django.db import transaction

from network_marketplace.audit import Actor
from network_marketplace.transitions import transition

from ..models import MarketingOrder, MarketingOrderLine
from ..states import MARKETING_ORDER_LIFECYCLE

MO = MarketingOrder.Status
ML = MarketingOrderLine.Status
LIVE_LINE_STATUSES = (ML.PENDING, ML.APPROVED, ML.IN_PRODUCTION, ML.SHIPPED, ML.RECEIVED)


def live_lines(order: MarketingOrder) -> list[MarketingOrderLine]:
    return list(order.lines.filter(status__in=LIVE_LINE_STATUSES).order_by("pk"))


def roll_up(*, order: MarketingOrder, actor: Actor) -> MarketingOrder:
    """Move the order along its lines: one in production -> in production; every live line
    shipped -> shipped; every live line received -> received."""
    with transaction.atomic():
        order = MarketingOrder.objects.select_for_update().get(pk=order.pk)
        statuses = {line.status for line in live_lines(order)}
        if not statuses:
            return order
        if order.status == MO.APPROVED and statuses & {ML.IN_PRODUCTION, ML.SHIPPED, ML.RECEIVED}:
            order = transition(
                MARKETING_ORDER_LIFECYCLE, order, MO.IN_PRODUCTION, actor=actor, locked=True
            ).row
        if order.status == MO.IN_PRODUCTION and statuses <= {ML.SHIPPED, ML.RECEIVED}:
            order = transition(
                MARKETING_ORDER_LIFECYCLE, order, MO.SHIPPED, actor=actor, locked=True
            ).row
        if order.status == MO.SHIPPED and statuses == {ML.RECEIVED}:
            order = transition(
                MARKETING_ORDER_LIFECYCLE, order, MO.RECEIVED, actor=actor, locked=True
            ).row
        return order
