"""A store's lifecycle: the allowed moves between statuses, in one place."""

from __future__ import annotations

from django.utils.translation import gettext as _

from network_marketplace.errors import IllegalTransition

from .models import Reservation, Store

S = Store.Status

TRANSITIONS: dict[str, set[str]] = {
    S.ONBOARDING: {S.ACTIVE, S.CLOSED},
    S.ACTIVE: {S.SUSPENDED, S.CLOSED},
    S.SUSPENDED: {S.ACTIVE, S.CLOSED},
    S.CLOSED: set(),
}


def check_store_transition(current: str, target: str) -> None:
    if target not in TRANSITIONS[current]:
        raise IllegalTransition(
            _("A store can't go from “%(current)s” to “%(target)s”.")
            % {"current": S(current).label, "target": S(target).label},
            current=current,
            target=target,
        )


R = Reservation.Status

# A reservation is active until it ends one way; every end is final. The move out of ACTIVE is
# always a conditional UPDATE ... WHERE status = 'active', so no hold ends twice.
RESERVATION_TRANSITIONS: dict[str, set[str]] = {
    R.ACTIVE: {R.CONVERTED, R.RELEASED, R.EXPIRED, R.CONSUMED},
    R.CONVERTED: set(),
    R.RELEASED: set(),
    R.EXPIRED: set(),
    R.CONSUMED: set(),
}


def check_reservation_transition(current: str, target: str) -> None:
    if target not in RESERVATION_TRANSITIONS[current]:
        raise IllegalTransition(
            _("This hold on stock is already “%(current)s”: it can't become “%(target)s”.")
            % {"current": R(current).label, "target": R(target).label},
            current=current,
            target=target,
        )
