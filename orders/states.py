"""An order's lifecycle: the allowed moves between statuses, in one place."""

from __future__ import annotations

from django.utils.translation import gettext as _

from network_marketplace.errors import IllegalTransition

from .models import Order

S = Order.Status

TRANSITIONS: dict[str, set[str]] = {
    S.PENDING_PAYMENT: {S.PLACED, S.CANCELLED},
    S.PLACED: {S.IN_PROGRESS, S.COMPLETED, S.CANCELLED},
    S.IN_PROGRESS: {S.COMPLETED, S.CANCELLED},
    S.COMPLETED: set(),
    S.CANCELLED: set(),
}


def check_order_transition(current: str, target: str) -> None:
    if target not in TRANSITIONS[current]:
        raise IllegalTransition(
            _("An order can't go from “%(current)s” to “%(target)s”.")
            % {"current": S(current).label, "target": S(target).label},
            current=current,
            target=target,
        )
