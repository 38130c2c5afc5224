"""Lifecycles of the payments app, in one place: a payout's allowed moves.

pending → paid     the provider accepted the payout (Stripe confirms with `payout.paid`)
pending → failed   the provider refused it: its money goes back to the store's balance
paid → failed      the bank sent it back later (Stripe's `payout.failed` after `paid`)

A failed payout is never revived: HQ retries it as a new attempt (a new Payout row).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from network_marketplace.errors import IllegalTransition

from .models import Payout

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
