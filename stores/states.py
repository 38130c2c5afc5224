"""The stores app's lifecycles: a store's statuses and a hold on stock's, in one place.

A store moves through `transition(STORE_LIFECYCLE, ...)`; it sells only once its trader identity
is complete (the data the DSA, art. 30, requires a marketplace to collect from its traders), a
check the lifecycle makes on every move to ACTIVE. The audit row `store.<status>` is the store's
event (who, when, from, to, why): there is no event table.

A reservation's moves are different by design: a hold leaves ACTIVE only through one conditional
`UPDATE ... WHERE status = 'active' RETURNING` over many holds at once (stores.services.holds),
under the stock row's lock, so that the lazy release, the sweeper and a release racing for one
hold end it once; its table below is what those statements and their errors follow.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from network_marketplace.errors import IllegalTransition
from network_marketplace.transitions import Lifecycle

from .hooks import trader_records_missing
from .models import Reservation, Store

S = Store.Status

TRADER_FIELDS = ("company_name", "registration_number", "legal_address", "email", "phone")


class StoreIncomplete(IllegalTransition):
    """The store's trader identity is incomplete: it can't sell yet."""

    code = "store_incomplete"
    http_status = 400


def missing_trader_fields(store: Store) -> list[str]:
    return [name for name in TRADER_FIELDS if not str(getattr(store, name) or "").strip()]


TRANSITIONS: dict[str, set[str]] = {
    S.ONBOARDING: {S.ACTIVE, S.CLOSED},
    S.ACTIVE: {S.SUSPENDED, S.CLOSED},
    S.SUSPENDED: {S.ACTIVE, S.CLOSED},
    S.CLOSED: set(),
}


def _check_store_move(store: Store, target: str) -> None:
    if target != S.ACTIVE:
        return
    missing = missing_trader_fields(store)
    labels = [str(Store._meta.get_field(name).verbose_name) for name in missing]
    # A first activation also needs compliance's trader records (evidence, self-certification);
    # a suspension lifted does not ask again: compliance suspends for those itself.
    records = trader_records_missing(store) if store.status == S.ONBOARDING else []
    if missing or records:
        raise StoreIncomplete(
            _("%(store)s can't sell until its trader identity is complete: %(fields)s.")
            % {"store": store.name, "fields": ", ".join([*labels, *records])},
            missing=missing,
            records=records,
        )


STORE_LIFECYCLE = Lifecycle(
    name="store",
    model=Store,
    moves=TRANSITIONS,
    store_of=lambda store: store.pk,
    check=_check_store_move,
    illegal_message=gettext_lazy("A store can't go from “%(current)s” to “%(target)s”."),
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


# Declared for the registry of lifecycles (every lifecycle has its table); its moves are the
# set-based statements of stores.services.holds, not `transition()` (see the module docstring).
RESERVATION_LIFECYCLE = Lifecycle(
    name="reservation",
    model=Reservation,
    moves=RESERVATION_TRANSITIONS,
    store_of=lambda reservation: reservation.store_id,
    illegal_message=gettext_lazy(
        "This hold on stock is already “%(current)s”: it can't become “%(target)s”."
    ),
)


def check_reservation_transition(current: str, target: str) -> None:
    if target not in RESERVATION_TRANSITIONS[current]:
        raise IllegalTransition(
            _("This hold on stock is already “%(current)s”: it can't become “%(target)s”.")
            % {"current": R(current).label, "target": R(target).label},
            current=current,
            target=target,
        )
