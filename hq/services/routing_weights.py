"""HQ applies new routing weights after simulating them (hq.selectors.routing_spread): the order
policy takes them, and the change is kept (before, after, who, why, what was simulated) with its
audit row."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from network_marketplace.audit import actor_label, record_audit_event
from orders.models import OrderPolicy

from ..models import RoutingWeightsChange
from ..selectors.routing_spread import Weights
from .consequences import ReasonRequired

FIELDS = (*OrderPolicy.WEIGHTS, "fairness_window_days")


def apply_routing_weights(
    *,
    weights: Weights,
    reason: str,
    actor: Any,
    simulated_days: int,
    simulated_orders: int,
) -> RoutingWeightsChange:
    """Save `weights` in the order policy (ValidationError, nothing saved, when a weight is out
    of bounds or they are all 0) and record the change. The next order is routed with them."""
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired(_("Give the reason for HQ's decision."), reason=_("Required."))
    with transaction.atomic():
        policy = OrderPolicy.objects.select_for_update().get(pk=OrderPolicy.current().pk)
        before = Weights.of(policy)
        for name in FIELDS:
            setattr(policy, name, getattr(weights, name))
        policy.full_clean()
        policy.save(update_fields=[*FIELDS, "updated_at"])
        change = RoutingWeightsChange.objects.create(
            actor_label=actor_label(actor),
            reason=reason[:300],
            before=before.as_dict(),
            after=weights.as_dict(),
            simulated_days=simulated_days,
            simulated_orders=simulated_orders,
        )
        record_audit_event(
            actor=actor,
            action="order_policy.routing_weights_changed",
            target=policy,
            data={"before": before.as_dict(), "after": weights.as_dict(), "reason": reason},
        )
    return change


__all__ = ["FIELDS", "apply_routing_weights"]
