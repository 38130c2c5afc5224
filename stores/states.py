"""A store's lifecycle: the allowed moves between statuses, in one place."""

from __future__ import annotations

from django.utils.translation import gettext as _

from network_marketplace.errors import IllegalTransition

from .models import Store

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
