"""The statements behind every hold on stock (stores.services.reservations): taking units with
one conditional UPDATE, ending holds with one `UPDATE ... WHERE status = 'active' RETURNING`,
giving their units back, and the checks and audit rows the services share.

These are the moves of a reservation's lifecycle (stores.states.RESERVATION_TRANSITIONS). They
don't go through the one transition helper on purpose: it locks and moves one row, and a hold
must end set-based, under its stock row's lock, exactly once whoever races for it (the lazy
release, the sweeper, a cart emptied). Callers hold the stock rows' locks (stores.locks).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from django.db import connection, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from catalog.models import Variant
from network_marketplace.audit import record_audit_event
from network_marketplace.errors import DomainError, IllegalTransition

from ..models import Reservation, StockLevel, Store
from ..states import check_reservation_transition
from .stock import InsufficientStock

Kind = Reservation.Kind
Status = Reservation.Status


class ReservationExpired(DomainError):
    """The hold on this item has expired."""

    code = "reservation_expired"
    http_status = 409


class Ended(NamedTuple):
    id: int
    store_id: int
    variant_id: int
    quantity: int


def hold_units(
    *,
    store: Store,
    variant: Variant,
    quantity: int,
    holder: str,
    kind: str,
    expires_at: datetime | None,
    label: str,
    now: datetime,
) -> Reservation | None:
    """The conditional UPDATE of the stock row and the new reservation, in one statement: both
    or neither. Returns the reservation, or None when the units are not available."""
    if connection.vendor != "postgresql":
        return hold_portable(
            store=store,
            variant=variant,
            quantity=quantity,
            holder=holder,
            kind=kind,
            expires_at=expires_at,
            label=label,
            now=now,
        )
    fields = [field.attname for field in Reservation._meta.concrete_fields]
    sql = (
        f"WITH taken AS (UPDATE {StockLevel._meta.db_table}"  # noqa: S608
        " SET reserved = reserved + %(quantity)s, updated_at = %(now)s::timestamptz"
        " WHERE store_id = %(store)s AND variant_id = %(variant)s"
        " AND on_hand - reserved - safety_stock >= %(quantity)s AND NOT sales_blocked"
        " RETURNING store_id, variant_id)"
        f" INSERT INTO {Reservation._meta.db_table} (store_id, variant_id, quantity, holder, kind,"
        " status, expires_at, actor_label, created_at, updated_at)"
        " SELECT store_id, variant_id, %(quantity)s, %(holder)s, %(kind)s, %(status)s,"
        " %(expires_at)s::timestamptz, %(label)s, %(now)s::timestamptz, %(now)s::timestamptz"
        f" FROM taken RETURNING {', '.join(fields)}"
    )
    params = {
        "store": store.pk,
        "variant": variant.pk,
        "quantity": quantity,
        "holder": holder,
        "kind": str(kind),
        "status": str(Status.ACTIVE),
        "expires_at": expires_at,
        "label": label,
        "now": now,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    reservation = Reservation.from_db(connection.alias, fields, row)
    reservation.store, reservation.variant = store, variant
    return reservation


def hold_portable(
    *,
    store: Store,
    variant: Variant,
    quantity: int,
    holder: str,
    kind: str,
    expires_at: datetime | None,
    label: str,
    now: datetime,
) -> Reservation | None:
    """The same hold for the embedded database (SQLite, one writer at a time): the conditional
    UPDATE, then the reservation, in one transaction."""
    with transaction.atomic():
        taken = StockLevel.objects.filter(
            store=store,
            variant=variant,
            on_hand__gte=F("reserved") + F("safety_stock") + quantity,
            sales_blocked=False,
        ).update(reserved=F("reserved") + quantity, updated_at=now)
        if not taken:
            return None
        return Reservation.objects.create(
            store=store,
            variant=variant,
            quantity=quantity,
            holder=holder,
            kind=kind,
            status=Status.ACTIVE,
            expires_at=expires_at,
            actor_label=label,
        )


def no_longer_available(*, store: Store, variant: Variant, requested: int) -> InsufficientStock:
    level = StockLevel.objects.filter(store=store, variant=variant).only("available").first()
    available = level.available if level is not None else 0
    names = {"item": str(variant), "store": store.name}
    if available > 0:
        message = _(
            "%(item)s is no longer available in this quantity at %(store)s: "
            "%(available)s left, %(requested)s asked for."
        ) % {**names, "available": available, "requested": requested}
    else:
        message = _("%(item)s is no longer available at %(store)s.") % names
    return InsufficientStock(
        message,
        sku=variant.sku,
        store_id=store.pk,
        variant_id=variant.pk,
        requested=requested,
        available=available,
    )


# --- the moves out of ACTIVE --------------------------------------------------------------------


def expire_due(*, store_id: int, variant_id: int, now: datetime) -> int:
    """End the due holds of one stock row and give their units back; the caller holds the row's
    lock. Returns the number of holds ended by this call (0 if someone else got there first)."""
    table = Reservation._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET status = %s, updated_at = %s"  # noqa: S608
            " WHERE store_id = %s AND variant_id = %s AND status = %s AND expires_at <= %s"
            " RETURNING id, store_id, variant_id, quantity",
            [Status.EXPIRED, now, store_id, variant_id, Status.ACTIVE, now],
        )
        ended = [Ended(*row) for row in cursor.fetchall()]
    give_back(ended, now=now)
    return len(ended)


def end_holds(
    ids: Iterable[int], *, status: str, now: datetime, unexpired: bool = False
) -> list[Ended]:
    """Move these reservations from ACTIVE to `status`; returns only the rows this call moved.
    With `unexpired`, a hold whose expiry has passed is left alone (it no longer counts)."""
    ids = list(ids)
    if not ids:
        return []
    table = Reservation._meta.db_table
    still_counts = " AND (expires_at IS NULL OR expires_at > %s)" if unexpired else ""
    if connection.vendor == "postgresql":
        among, id_params = "id = ANY(%s)", [ids]
    else:  # the embedded database has no arrays
        among, id_params = f"id IN ({', '.join(['%s'] * len(ids))})", ids
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET status = %s, updated_at = %s"  # noqa: S608
            f" WHERE {among} AND status = %s{still_counts}"
            " RETURNING id, store_id, variant_id, quantity",
            [status, now, *id_params, Status.ACTIVE, *([now] if unexpired else [])],
        )
        return [Ended(*row) for row in cursor.fetchall()]


def give_back(ended: Iterable[Ended], *, now: datetime) -> None:
    totals: dict[tuple[int, int], int] = defaultdict(int)
    for row in ended:
        totals[(row.store_id, row.variant_id)] += row.quantity
    for (store_id, variant_id), quantity in sorted(totals.items()):
        StockLevel.objects.filter(store_id=store_id, variant_id=variant_id).update(
            reserved=F("reserved") - quantity, updated_at=now
        )


def still_counts(reservation: Reservation, now: datetime) -> bool:
    return reservation.status == Status.ACTIVE and (
        reservation.expires_at is None or reservation.expires_at > now
    )


def ended_error(current: Reservation, target: str, now: datetime) -> DomainError:
    """Why a hold can't move to `target`: it expired (still ACTIVE past its expiry, or EXPIRED),
    or it already ended another way."""
    expired = current.status == Status.EXPIRED or (
        current.status == Status.ACTIVE
        and current.expires_at is not None
        and current.expires_at <= now
    )
    if expired:
        return ReservationExpired(
            _("The hold on %(item)s at %(store)s has expired.")
            % {"item": str(current.variant), "store": current.store.name},
            reservation_id=current.pk,
            expired_at=current.expires_at.isoformat() if current.expires_at else None,
        )
    try:
        check_reservation_transition(current.status, target)
    except IllegalTransition as error:
        return error
    return IllegalTransition(current=current.status, target=target)


# --- checks and audit ---------------------------------------------------------------------------


def expiry(*, kind: str, ttl: timedelta | None, now: datetime) -> datetime | None:
    if kind not in Kind.values:
        raise ValueError(f"Unknown reservation kind {kind!r}.")
    if kind == Kind.ORDER:
        if ttl is not None:
            raise ValueError("An order's hold is firm: pass ttl=None.")
        return None
    if ttl is None or ttl <= timedelta(0):
        raise ValueError("A checkout or reserve & collect hold needs a positive ttl.")
    return now + ttl


def check_holder(holder: str) -> None:
    max_length = Reservation._meta.get_field("holder").max_length
    if not holder or len(holder) > max_length:
        raise ValueError(f"A holder is a key of 1 to {max_length} characters.")


def check_quantity(quantity: Any) -> None:
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
        raise DomainError(
            _("The quantity to reserve must be a whole number, one or more."), quantity=quantity
        )


def audit_hold(reservation: Reservation, action: str, actor: Any, **data: Any) -> None:
    record_audit_event(
        actor=actor,
        action=action,
        target=reservation,
        store_id=reservation.store_id,
        data={
            "holder": reservation.holder,
            "kind": reservation.kind,
            "variant": reservation.variant_id,
            **{
                key: (value.isoformat() if isinstance(value, datetime) else value)
                for key, value in data.items()
            },
        },
    )
