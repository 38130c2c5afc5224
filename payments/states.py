"""Lifecycles of the payments app, in one place: a payout's allowed moves.

pending → paid     the provider accepted the payout (Stripe confirms with `payout.paid`)
pending → failed   the provider refused it: its money goes back to the store's balance
paid → failed      the bank sent it back later (Stripe's `payout.failed` after `paid`)

A failed payout is never revived: HQ retries it as a new attempt (a new Payout row).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from network_marketplace.errors import IllegalTransition
from network_marketplace.transitions import Lifecycle, WebhookEvent

from .models import Payout, PayoutEvent

P = Payout.Status

PAYOUT_TRANSITIONS: dict[str, set[str]] = {
    P.PENDING: {P.PAID, P.FAILED},
    P.PAID: {P.FAILED},
    P.FAILED: set(),
}


def check_payout_transition(current: str, target: str) -> None:
    if target not in PAYOUT_TRANSITIONS[current]:
        raise IllegalTransition(
            _("A payout can't go from “%(current)s” to “%(target)s”.")
            % {"current": P(current).label, "target": P(target).label},
            current=current,
            target=target,
        )


def _payout_webhooks(payout: Payout, previous: str) -> list[WebhookEvent]:
    event_type = f"payout.{payout.status}"
    return [
        WebhookEvent(
            event_type=event_type,
            store_id=payout.store_id,
            event_id=f"{event_type}:{payout.pk}",
            data={
                "payout": payout.pk,
                "amount_cents": payout.amount_cents,
                "currency": payout.currency,
                "period": payout.period_key,
            },
        )
    ]


PAYOUT_LIFECYCLE = Lifecycle(
    name="payout",
    model=Payout,
    moves=PAYOUT_TRANSITIONS,
    event_model=PayoutEvent,
    event_parent="payout",
    store_of=lambda payout: payout.store_id,
    webhooks=_payout_webhooks,
    illegal_message=gettext_lazy("A payout can't go from “%(current)s” to “%(target)s”."),
)
